package steamworks

import (
	"encoding/binary"
	"net/netip"
	"structs"
)

// ipv4ToHost returns an IPv4 address as the SDK takes it: a uint32 in host
// order, 127.0.0.1 being 0x7F000001. The zero Addr and addresses that are
// not IPv4 (or IPv4-mapped) give 0, which the SDK reads as "any".
func ipv4ToHost(a netip.Addr) uint32 {
	a = a.Unmap()
	if !a.Is4() {
		return 0
	}
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

// hostToIPv4 is the inverse of ipv4ToHost.
func hostToIPv4(ip uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], ip)
	return netip.AddrFrom4(b)
}

// steamIPAddress is SteamIPAddress_t as GetPublicIP returns it by value:
// a 16-byte union (an IPv6 address, or an IPv4 address as a host-order
// uint32 in its first 4 bytes) and an int32 ESteamIPType, 20 bytes in all.
// It holds bytes only; publicIPAddr decodes them.
type steamIPAddress struct {
	_    structs.HostLayout
	Addr [16]byte
	Type int32
}

// publicIPAddr decodes a SteamIPAddress_t. An IPv4 address of 0 or an
// unknown type is the zero Addr: Steam does not know the address.
func publicIPAddr(ip steamIPAddress) netip.Addr {
	switch ip.Type {
	case 0: // k_ESteamIPTypeIPv4
		v4 := binary.NativeEndian.Uint32(ip.Addr[:4])
		if v4 == 0 {
			return netip.Addr{}
		}
		return hostToIPv4(v4)
	case 1: // k_ESteamIPTypeIPv6
		a := netip.AddrFrom16(ip.Addr)
		if a.IsUnspecified() {
			return netip.Addr{}
		}
		return a
	}
	return netip.Addr{}
}
