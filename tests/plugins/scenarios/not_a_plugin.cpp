// A shared library without amoc's ABI tag (it never includes amoc/scenario.hpp).
extern "C" int amoc_test_something() { return 1; }
