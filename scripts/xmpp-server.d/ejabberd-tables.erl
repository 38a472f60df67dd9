%% Evaluated by `scripts/xmpp-server start` in a hidden Erlang node once ejabberd is up:
%% turns its disc_only_copies (dets) mnesia tables - accounts, rosters, offline messages,
%% MAM archive - into disc_copies (RAM with a disk log). dets costs ~0.3 ms a write, which
%% would make account creation and per-message archiving the bottleneck of a load test;
%% the data of this throwaway server fits in RAM.
Convert = fun() ->
    Dets = [T || T <- mnesia:system_info(tables),
                 mnesia:table_info(T, storage_type) =:= disc_only_copies],
    [{atomic, ok} = mnesia:change_table_copy_type(T, node(), disc_copies) || T <- Dets],
    ok
end,
case rpc:call('amoc-xmpp@localhost', erlang, apply, [Convert, []], infinity) of
    ok -> halt(0);
    Failure -> io:format(standard_error, "~p~n", [Failure]), halt(1)
end.
