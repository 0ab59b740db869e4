package steamworks

import (
	"unsafe"

	"github.com/ebitengine/purego"
)

// getPublicIP calls GetPublicIP, which returns SteamIPAddress_t (20 bytes)
// by value. Both amd64 ABIs (System V and Win64) return a struct of that
// size through a hidden pointer passed as the first integer argument, ahead
// of self; purego's typed functions pass it the same way. Going through
// SyscallN with the conn's own buffer spares Status the allocations of a
// typed function.
func (c *conn) getPublicIP() steamIPAddress {
	c.ip = steamIPAddress{}
	purego.SyscallN(c.sym.getPublicIP, uintptr(unsafe.Pointer(&c.ip)), c.self)
	return c.ip
}
