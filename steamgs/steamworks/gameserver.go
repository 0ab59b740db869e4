package steamworks

import (
	"math"
	"net/netip"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/steamgs"
)

// The methods below call the 41 SteamAPI_ISteamGameServer_* functions, one
// each, with the ISteamGameServer pointer first. After Shutdown they do
// nothing and return zero values. Strings go through the conn's reusable
// buffers; IPv4 addresses and ports are passed in host order.

// setString calls fn(self, s) with s as a C string.
func (c *conn) setString(fn uintptr, s string) {
	if c.self == 0 {
		return
	}
	p := c.cstr(0, s)
	purego.SyscallN(fn, c.self, uintptr(unsafe.Pointer(p)))
}

// call0 calls fn(self) and returns its raw result.
func (c *conn) call0(fn uintptr) uintptr {
	if c.self == 0 {
		return 0
	}
	r, _, _ := purego.SyscallN(fn, c.self)
	return r
}

// call1 calls fn(self, a) and returns its raw result.
func (c *conn) call1(fn, a uintptr) uintptr {
	if c.self == 0 {
		return 0
	}
	r, _, _ := purego.SyscallN(fn, c.self, a)
	return r
}

func (c *conn) SetProduct(product string)        { c.setString(c.sym.setProduct, product) }
func (c *conn) SetGameDescription(desc string)   { c.setString(c.sym.setGameDescription, desc) }
func (c *conn) SetModDir(dir string)             { c.setString(c.sym.setModDir, dir) }
func (c *conn) SetDedicatedServer(ded bool)      { c.call1(c.sym.setDedicatedServer, cbool(ded)) }
func (c *conn) LogOn(token string)               { c.setString(c.sym.logOn, token) }
func (c *conn) LogOnAnonymous()                  { c.call0(c.sym.logOnAnonymous) }
func (c *conn) LogOff()                          { c.call0(c.sym.logOff) }
func (c *conn) LoggedOn() bool                   { return isTrue(c.call0(c.sym.bLoggedOn)) }
func (c *conn) Secure() bool                     { return isTrue(c.call0(c.sym.bSecure)) }
func (c *conn) SteamID() steamgs.SteamID         { return steamgs.SteamID(c.call0(c.sym.getSteamID)) }
func (c *conn) WasRestartRequested() bool        { return isTrue(c.call0(c.sym.wasRestartRequested)) }
func (c *conn) SetMaxPlayerCount(n int)          { c.call1(c.sym.setMaxPlayerCount, uintptr(int32(n))) }
func (c *conn) SetBotPlayerCount(n int)          { c.call1(c.sym.setBotPlayerCount, uintptr(int32(n))) }
func (c *conn) SetServerName(name string)        { c.setString(c.sym.setServerName, name) }
func (c *conn) SetMapName(name string)           { c.setString(c.sym.setMapName, name) }
func (c *conn) SetPasswordProtected(p bool)      { c.call1(c.sym.setPasswordProtected, cbool(p)) }
func (c *conn) SetSpectatorPort(port uint16)     { c.call1(c.sym.setSpectatorPort, uintptr(port)) }
func (c *conn) SetSpectatorServerName(n string)  { c.setString(c.sym.setSpectatorServerName, n) }
func (c *conn) ClearAllKeyValues()               { c.call0(c.sym.clearAllKeyValues) }
func (c *conn) SetGameTags(tags string)          { c.setString(c.sym.setGameTags, tags) }
func (c *conn) SetGameData(data string)          { c.setString(c.sym.setGameData, data) }
func (c *conn) SetRegion(region string)          { c.setString(c.sym.setRegion, region) }
func (c *conn) SetAdvertiseServerActive(a bool)  { c.call1(c.sym.setAdvertiseServerActive, cbool(a)) }
func (c *conn) EndAuthSession(u steamgs.SteamID) { c.call1(c.sym.endAuthSession, uintptr(u)) }

func (c *conn) CancelAuthTicket(t steamgs.AuthTicket) {
	c.call1(c.sym.cancelAuthTicket, uintptr(uint32(t)))
}

func (c *conn) GetGameplayStats() { c.call0(c.sym.getGameplayStats) }

func (c *conn) GetServerReputation() steamgs.APICall {
	return steamgs.APICall(c.call0(c.sym.getServerReputation))
}

func (c *conn) AssociateWithClan(clan steamgs.SteamID) steamgs.APICall {
	return steamgs.APICall(c.call1(c.sym.associateWithClan, uintptr(clan)))
}

func (c *conn) ComputeNewPlayerCompatibility(user steamgs.SteamID) steamgs.APICall {
	return steamgs.APICall(c.call1(c.sym.computeNewPlayerCompatibility, uintptr(user)))
}

func (c *conn) CreateUnauthenticatedUserConnection() steamgs.SteamID {
	return steamgs.SteamID(c.call0(c.sym.createUnauthenticatedUser))
}

func (c *conn) SendUserDisconnect(user steamgs.SteamID) {
	c.call1(c.sym.sendUserDisconnect, uintptr(user))
}

// SetKeyValue passes key and value in two buffers.
func (c *conn) SetKeyValue(key, value string) {
	if c.self == 0 {
		return
	}
	k, v := c.cstr(0, key), c.cstr(1, value)
	purego.SyscallN(c.sym.setKeyValue, c.self, uintptr(unsafe.Pointer(k)), uintptr(unsafe.Pointer(v)))
}

// GetAuthSessionTicket passes forID as a SteamNetworkingIdentity, or NULL
// for the zero Identity.
func (c *conn) GetAuthSessionTicket(buf []byte, forID steamgs.Identity) (steamgs.AuthTicket, int) {
	if c.self == 0 || len(buf) == 0 {
		return 0, 0
	}
	c.ticketLen = 0
	limit := uintptr(min(len(buf), math.MaxInt32))
	var r uintptr
	if encodeIdentity(&c.ident, forID) {
		r, _, _ = purego.SyscallN(c.sym.getAuthSessionTicket, c.self, uintptr(unsafe.Pointer(&buf[0])), limit,
			uintptr(unsafe.Pointer(&c.ticketLen)), uintptr(unsafe.Pointer(&c.ident)))
	} else {
		r, _, _ = purego.SyscallN(c.sym.getAuthSessionTicket, c.self, uintptr(unsafe.Pointer(&buf[0])), limit,
			uintptr(unsafe.Pointer(&c.ticketLen)), 0)
	}
	return steamgs.AuthTicket(uint32(r)), int(min(c.ticketLen, uint32(limit)))
}

// BeginAuthSession passes the ticket bytes in place.
func (c *conn) BeginAuthSession(ticket []byte, user steamgs.SteamID) steamgs.BeginAuthSessionResult {
	if c.self == 0 || len(ticket) == 0 || len(ticket) > math.MaxInt32 {
		return steamgs.BeginAuthInvalidTicket
	}
	r, _, _ := purego.SyscallN(c.sym.beginAuthSession, c.self, uintptr(unsafe.Pointer(&ticket[0])),
		uintptr(len(ticket)), uintptr(user))
	return steamgs.BeginAuthSessionResult(int32(r))
}

// UserHasLicenseForApp returns the SDK's EUserHasLicenseForAppResult.
func (c *conn) UserHasLicenseForApp(user steamgs.SteamID, app steamgs.AppID) steamgs.LicenseResult {
	if c.self == 0 {
		return steamgs.NoAuth
	}
	r, _, _ := purego.SyscallN(c.sym.userHasLicenseForApp, c.self, uintptr(user), uintptr(uint32(app)))
	return steamgs.LicenseResult(int32(r))
}

// RequestUserGroupStatus passes both 64-bit IDs whole.
func (c *conn) RequestUserGroupStatus(user, group steamgs.SteamID) bool {
	if c.self == 0 {
		return false
	}
	r, _, _ := purego.SyscallN(c.sym.requestUserGroupStatus, c.self, uintptr(user), uintptr(group))
	return isTrue(r)
}

// PublicIP calls GetPublicIP, which returns SteamIPAddress_t by value.
func (c *conn) PublicIP() netip.Addr {
	if c.self == 0 {
		return netip.Addr{}
	}
	return publicIPAddr(c.lib.publicIP(c.self))
}

// HandleIncomingPacket passes the datagram in place and its source in host
// order.
func (c *conn) HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool {
	if c.self == 0 || len(pkt) == 0 || len(pkt) > math.MaxInt32 || !from.Addr().Unmap().Is4() {
		return false
	}
	r, _, _ := purego.SyscallN(c.sym.handleIncomingPacket, c.self, uintptr(unsafe.Pointer(&pkt[0])), uintptr(len(pkt)),
		uintptr(ipv4ToHost(from.Addr())), uintptr(from.Port()))
	return isTrue(r)
}

// GetNextOutgoingPacket lets Steam write into buf and reads the destination
// back from host order.
func (c *conn) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort) {
	if c.self == 0 || len(buf) == 0 {
		return 0, netip.AddrPort{}
	}
	c.outIP, c.outPort = 0, 0
	limit := min(len(buf), math.MaxInt32)
	r, _, _ := purego.SyscallN(c.sym.getNextOutgoingPacket, c.self, uintptr(unsafe.Pointer(&buf[0])), uintptr(limit),
		uintptr(unsafe.Pointer(&c.outIP)), uintptr(unsafe.Pointer(&c.outPort)))
	n := int(int32(r))
	if n <= 0 {
		return 0, netip.AddrPort{}
	}
	return min(n, limit), netip.AddrPortFrom(hostToIPv4(c.outIP), c.outPort)
}

// SendUserConnectAndAuthenticate calls the SDK's _DEPRECATED function and
// reads the user's Steam ID from its out parameter.
func (c *conn) SendUserConnectAndAuthenticate(clientIP netip.Addr, ticket []byte) (steamgs.SteamID, bool) {
	if c.self == 0 || len(ticket) == 0 || len(ticket) > math.MaxInt32 {
		return 0, false
	}
	c.steamID = 0
	r, _, _ := purego.SyscallN(c.sym.sendUserConnectAndAuthenticate, c.self, uintptr(ipv4ToHost(clientIP)),
		uintptr(unsafe.Pointer(&ticket[0])), uintptr(len(ticket)), uintptr(unsafe.Pointer(&c.steamID)))
	if !isTrue(r) {
		return 0, false
	}
	return steamgs.SteamID(c.steamID), true
}

// UpdateUserData calls BUpdateUserData with the name in a reusable buffer.
func (c *conn) UpdateUserData(user steamgs.SteamID, name string, score uint32) bool {
	if c.self == 0 {
		return false
	}
	p := c.cstr(0, name)
	r, _, _ := purego.SyscallN(c.sym.bUpdateUserData, c.self, uintptr(user), uintptr(unsafe.Pointer(p)), uintptr(score))
	return isTrue(r)
}
