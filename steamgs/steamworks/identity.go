package steamworks

import (
	"encoding/binary"

	"github.com/steamgs/steamgs/steamgs"
)

// identitySize is sizeof(SteamNetworkingIdentity): int32 type @0, int32 size
// @4 and a 128-byte union @8, packed 1.
const identitySize = 136

// ESteamNetworkingIdentityType values.
const (
	identityIPAddress     = 1
	identityGenericString = 2
	identitySteamID       = 16
)

// encodeIdentity writes id into b as a SteamNetworkingIdentity, the way the
// SDK's setters fill it: SetSteamID64 (8 bytes), SetIPAddr (an IPv6 or
// IPv4-mapped address and a host-order port, 18 bytes) or SetGenericString
// (the string and its NUL). It reports false for the zero Identity, which is
// passed as NULL instead. A generic string longer than the SDK's 31 bytes is
// cut there.
func encodeIdentity(b *[identitySize]byte, id steamgs.Identity) bool {
	*b = [identitySize]byte{}
	var typ, size int
	switch {
	case id.SteamID != 0:
		typ, size = identitySteamID, 8
		binary.NativeEndian.PutUint64(b[8:], uint64(id.SteamID))
	case id.Addr.IsValid():
		typ, size = identityIPAddress, 18
		a16 := id.Addr.Addr().As16() // IPv4 becomes ::ffff:a.b.c.d, as the SDK stores it
		copy(b[8:24], a16[:])
		binary.NativeEndian.PutUint16(b[24:], id.Addr.Port())
	case id.Generic != "":
		s := id.Generic
		if len(s) > steamgs.MaxGenericIdentityLen {
			s = s[:steamgs.MaxGenericIdentityLen]
		}
		typ, size = identityGenericString, len(s)+1
		copy(b[8:], s)
	default:
		return false
	}
	binary.NativeEndian.PutUint32(b[0:], uint32(typ))
	binary.NativeEndian.PutUint32(b[4:], uint32(size))
	return true
}
