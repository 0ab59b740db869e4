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
	fmt.Println(s.Settings().KeyValues) // what Server.ApplySettings is given
	s.ClearDirty()                      // what the settings system does after a push
	fmt.Println(s.Dirty(), s.ServerName())
	// Output:
	// ServerName|MapName|KeyValues
	// map[mode:ffa]
	// 0 Arena
}
