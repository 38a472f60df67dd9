-- Loaded on the PubSub component by scripts/xmpp-server: lets every account of the
-- parent host create nodes. Prosody 0.12 gives the "create" capability to service
-- owners (admins) only; amoc's xmpp_pubsub scenario creates its nodes on demand, as
-- users of ejabberd (access_createnode: all) may. The creator owns its node (node
-- affiliation "owner"), so it alone configures, publishes to and deletes it.
local jid_host = require "util.jid".host;

local parent = module:get_host():match("^[^.]+%.(.+)$");
local service = module:depends("pubsub").get_service();
local affiliation_of = service.config.get_affiliation;

service.config.get_affiliation = function (jid, node, action)
	local affiliation = affiliation_of(jid, node, action);
	if affiliation == nil and action == "create" and jid_host(jid) == parent then
		return "owner";
	end
	return affiliation;
end
