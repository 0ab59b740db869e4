package components_test

import (
	"fmt"

	"github.com/steamgs/steamgs/components"
)

// Setters record what changed; the settings system pushes exactly that and
// clears it.
func ExampleSettingsData() {
	var s components.SettingsData
	s.SetServerName("Arena")
	s.SetMapName("dm_1")
	s.SetMapName("dm_1") // the same value: no change
	s.SetKeyValue("mode", "ffa")
	fmt.Println(s.Dirty())
	_, keys := s.KeyValueChanges()
	fmt.Println(keys)
	s.ClearDirty() // what the settings system does after a push
	fmt.Println(s.Dirty(), s.ServerName())
	// Output:
	// ServerName|MapName|KeyValues
	// [mode]
	// 0 Arena
}
