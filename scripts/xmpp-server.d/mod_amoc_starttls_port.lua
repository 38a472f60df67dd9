-- Makes STARTTLS mandatory on the c2s ports listed in `amoc_starttls_required_ports`
-- while the other ports keep it optional. Prosody 0.12 only has a per-host switch
-- (c2s_require_encryption); amoc's tests want "STARTTLS required" on its own port
-- (5224), as ejabberd's `starttls_required` listener option gives.
local st = require "util.stanza";

local required_ports = module:get_option_set("amoc_starttls_required_ports", {});
local xmlns_tls = "urn:ietf:params:xml:ns:xmpp-tls";
local xmlns_sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
local xmlns_register_feature = "http://jabber.org/features/iq-register";

local function must_encrypt_first(session)
	return not session.secure and session.conn ~= nil
		and required_ports:contains(tonumber(session.conn:serverport()));
end

-- Runs after mod_tls, mod_saslauth and mod_register_ibr (lower priority): rewrite what
-- they offered so an unencrypted stream sees only <starttls><required/></starttls>.
module:hook("stream-features", function(event)
	local session, features = event.origin, event.features;
	if not must_encrypt_first(session) then return; end
	features:remove_children("starttls", xmlns_tls);
	features:remove_children("mechanisms", xmlns_sasl);
	features:remove_children("register", xmlns_register_feature);
	features:tag("starttls", { xmlns = xmlns_tls }):tag("required"):up():up();
end, -100);

-- And enforce it: authentication or registration before STARTTLS is refused.
module:hook("stanza/urn:ietf:params:xml:ns:xmpp-sasl:auth", function(event)
	if not must_encrypt_first(event.origin) then return; end
	event.origin.send(st.stanza("failure", { xmlns = xmlns_sasl }):tag("encryption-required"));
	return true;
end, 100);

module:hook("stanza/iq/jabber:iq:register:query", function(event)
	if not must_encrypt_first(event.origin) then return; end
	event.origin.send(st.error_reply(event.stanza, "modify", "policy-violation", "Encryption is required"));
	return true;
end, 100);
