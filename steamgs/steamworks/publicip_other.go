//go:build !amd64

package steamworks

// getPublicIP calls GetPublicIP, which returns SteamIPAddress_t (20 bytes)
// by value, through the Library's typed purego function: arm64 takes the
// result's address in register X8, which SyscallN cannot set.
func (c *conn) getPublicIP() steamIPAddress {
	return c.lib.publicIP(c.self)
}
