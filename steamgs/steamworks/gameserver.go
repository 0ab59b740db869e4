package steamworks

import (
	"math"
	"net/netip"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/steamgs"
)

// The methods below call the 41 SteamAPI_ISteamGameServer_* functions, with
// the ISteamGameServer pointer first; the setters are called by Apply (see
// apply.go). After Close they make no C call and return zero values.
// Strings go through the conn's reusable buffers; IPv4 addresses and ports
// are passed in host order.

var (
	_ steamgs.Conn            = (*conn)(nil)
	_ steamgs.PacketConn      = (*conn)(nil)
	_ steamgs.UserConnectConn = (*conn)(nil)
)

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

// LogOn calls LogOn with the token, or LogOnAnonymous when it is empty.
func (c *conn) LogOn(token string) {
	if token == "" {
		c.call0(c.sym.logOnAnonymous)
		return
	}
	c.setString(c.sym.logOn, token)
}

// LogOff calls LogOff.
func (c *conn) LogOff() { c.call0(c.sym.logOff) }

// Status calls BLoggedOn, BSecure, GetSteamID, GetPublicIP and
// WasRestartRequested, in that order, and counts a restart request each
// time WasRestartRequested returns true (libsteam_api reports each request
// once). The query port is the one given to Open: libsteam_api does not
// report the port it bound. After Close it makes no C call and reports the
// query port and the restart count alone.
func (c *conn) Status() steamgs.Status {
	st := steamgs.Status{QueryPort: c.queryPort}
	if c.self != 0 {
		st.LoggedOn = isTrue(c.call0(c.sym.bLoggedOn))
		st.Secure = isTrue(c.call0(c.sym.bSecure))
		st.SteamID = steamgs.SteamID(c.call0(c.sym.getSteamID))
		st.PublicIP = publicIPAddr(c.getPublicIP())
		if isTrue(c.call0(c.sym.wasRestartRequested)) {
			c.restarts++
		}
	}
	st.Restarts = c.restarts
	return st
}

// EndAuthSession calls EndAuthSession with the whole 64-bit ID.
func (c *conn) EndAuthSession(user steamgs.SteamID) { c.call1(c.sym.endAuthSession, uintptr(user)) }

// CancelAuthTicket calls CancelAuthTicket with the 32-bit handle.
func (c *conn) CancelAuthTicket(t steamgs.AuthTicket) {
	c.call1(c.sym.cancelAuthTicket, uintptr(uint32(t)))
}

// CreateUnauthenticatedUserConnection returns the Steam ID
// CreateUnauthenticatedUserConnection makes.
func (c *conn) CreateUnauthenticatedUserConnection() steamgs.SteamID {
	return steamgs.SteamID(c.call0(c.sym.createUnauthenticatedUser))
}

// Request makes the C call r asks for: AssociateWithClan,
// ComputeNewPlayerCompatibility and GetServerReputation return their call
// handle (false when it is k_uAPICallInvalid, 0); RequestUserGroupStatus
// returns no handle and its C bool; GetGameplayStats returns nothing, so
// (0, true). An unknown kind makes no call and returns (0, false).
func (c *conn) Request(r steamgs.Request) (steamgs.APICall, bool) {
	if c.self == 0 {
		return 0, false
	}
	var call steamgs.APICall
	switch r.Kind {
	case steamgs.RequestAssociateWithClan:
		call = steamgs.APICall(c.call1(c.sym.associateWithClan, uintptr(r.Group)))
	case steamgs.RequestPlayerCompatibility:
		call = steamgs.APICall(c.call1(c.sym.computeNewPlayerCompatibility, uintptr(r.User)))
	case steamgs.RequestServerReputation:
		call = steamgs.APICall(c.call0(c.sym.getServerReputation))
	case steamgs.RequestUserGroupStatus:
		ok, _, _ := purego.SyscallN(c.sym.requestUserGroupStatus, c.self, uintptr(r.User), uintptr(r.Group))
		return 0, isTrue(ok)
	case steamgs.RequestGameplayStats:
		c.call0(c.sym.getGameplayStats)
		return 0, true
	default:
		return 0, false
	}
	return call, call != 0
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

// UpdateUserData calls BUpdateUserData with the name in a reusable buffer.
func (c *conn) UpdateUserData(user steamgs.SteamID, name string, score uint32) bool {
	if c.self == 0 {
		return false
	}
	p := c.cstr(0, name)
	r, _, _ := purego.SyscallN(c.sym.bUpdateUserData, c.self, uintptr(user), uintptr(unsafe.Pointer(p)), uintptr(score))
	return isTrue(r)
}

// HandleIncomingPacket implements steamgs.PacketConn: it passes the
// datagram in place and its source in host order.
func (c *conn) HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool {
	if c.self == 0 || len(pkt) == 0 || len(pkt) > math.MaxInt32 || !from.Addr().Unmap().Is4() {
		return false
	}
	r, _, _ := purego.SyscallN(c.sym.handleIncomingPacket, c.self, uintptr(unsafe.Pointer(&pkt[0])), uintptr(len(pkt)),
		uintptr(ipv4ToHost(from.Addr())), uintptr(from.Port()))
	return isTrue(r)
}

// GetNextOutgoingPacket implements steamgs.PacketConn: it lets Steam write
// into buf and reads the destination back from host order.
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

// SendUserConnectAndAuthenticate implements steamgs.UserConnectConn: it
// calls the SDK's _DEPRECATED function and reads the user's Steam ID from
// its out parameter.
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

// SendUserDisconnect implements steamgs.UserConnectConn: it calls
// SendUserDisconnect_DEPRECATED.
func (c *conn) SendUserDisconnect(user steamgs.SteamID) {
	c.call1(c.sym.sendUserDisconnect, uintptr(user))
}
