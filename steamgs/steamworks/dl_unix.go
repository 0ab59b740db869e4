//go:build !windows

package steamworks

import "github.com/ebitengine/purego"

// loadLibrary maps the shared library at path into the process. Its
// symbols stay local to it, so two libraries that export the same names (a
// test double and Valve's library) do not mix.
func loadLibrary(path string) (uintptr, error) {
	return purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_LOCAL)
}

// lookup returns the address of the symbol name in the library h, or 0.
func lookup(h uintptr, name string) uintptr {
	addr, err := purego.Dlsym(h, name)
	if err != nil {
		return 0
	}
	return addr
}

// unloadLibrary drops the reference loadLibrary took, for a library that is
// refused before any of its code ran beyond its initializers.
func unloadLibrary(h uintptr) { _ = purego.Dlclose(h) }
