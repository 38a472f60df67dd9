%% Evaluated by `scripts/xmpp-server users N` in a hidden Erlang node: registers
%% user_1..user_@N@ (password password_I) on the running ejabberd in one RPC, so the cost
%% is ejabberd's own (~40 us an account), not one ejabberdctl VM per account (~0.3 s).
%% Existing accounts get their password reset. @N@ and @DOMAIN@ are filled in by the script.
Register = fun() ->
    Host = <<"@DOMAIN@">>,
    One = fun(I) ->
        Id = integer_to_binary(I),
        User = <<"user_", Id/binary>>,
        Password = <<"password_", Id/binary>>,
        case ejabberd_auth:try_register(User, Host, Password) of
            ok -> ok;
            {error, exists} -> ok = ejabberd_auth:set_password(User, Host, Password);
            Error -> error({register, User, Error})
        end
    end,
    lists:foreach(One, lists:seq(1, @N@))
end,
case rpc:call('amoc-xmpp@localhost', erlang, apply, [Register, []], infinity) of
    ok -> halt(0);
    Failure -> io:format(standard_error, "~p~n", [Failure]), halt(1)
end.
