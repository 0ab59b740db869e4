//go:build windows

package steamworks

import "syscall"

// loadLibrary maps the DLL at path into the process.
func loadLibrary(path string) (uintptr, error) {
	h, err := syscall.LoadLibrary(path)
	return uintptr(h), err
}

// lookup returns the address of the symbol name in the DLL h, or 0.
func lookup(h uintptr, name string) uintptr {
	addr, err := syscall.GetProcAddress(syscall.Handle(h), name)
	if err != nil {
		return 0
	}
	return addr
}

// unloadLibrary drops the reference loadLibrary took, for a DLL that is
// refused before any of its code ran beyond DllMain.
func unloadLibrary(h uintptr) { _ = syscall.FreeLibrary(syscall.Handle(h)) }
