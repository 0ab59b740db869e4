package agones_test

import (
	"strings"
	"testing"

	"github.com/steamgs/steamgs/ecs/agones"
	"github.com/stretchr/testify/assert"
)

func TestSanitizeLabelValue(t *testing.T) {
	for in, want := range map[string]string{
		"":                             "",
		"arena":                        "arena",
		"1.0.0.0":                      "1.0.0.0",
		"de_dust 2":                    "de_dust-2",
		"  spaced  ":                   "spaced",
		"-._x._-":                      "x",
		"maps/ctf/Flag Room":           "maps-ctf-Flag-Room",
		"café":                         "caf",
		"日本":                           "",
		strings.Repeat("a", 70):        strings.Repeat("a", 63),
		strings.Repeat("a", 62) + "-b": strings.Repeat("a", 62),
	} {
		assert.Equal(t, want, agones.SanitizeLabelValue(in), "SanitizeLabelValue(%q)", in)
	}
}

func TestCheckLabelKey(t *testing.T) {
	for _, k := range []string{"map", "steam-id", "a.b_c-d", strings.Repeat("k", agones.MaxLabelKey)} {
		assert.NoError(t, agones.CheckLabelKey(k), "%q", k)
	}
	for k, want := range map[string]string{
		"": "empty",
		strings.Repeat("k", agones.MaxLabelKey+1): "at most 59",
		"map-": "end with a letter or digit",
		"a b":  `has " " at byte 1`,
		"ké":   "only [a-zA-Z0-9._-]",
	} {
		assert.ErrorContains(t, agones.CheckLabelKey(k), want, "%q", k)
	}
}

// validLabelValue is Kubernetes' rule for a label value.
func validLabelValue(v string) bool {
	if len(v) > 63 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && c != '.' && c != '_' && c != '-' || (i == 0 || i == len(v)-1) && !alnum {
			return false
		}
	}
	return true
}

func FuzzSanitizeLabelValue(f *testing.F) {
	for _, s := range []string{"", "arena", "de dust", "-x-", "日本", strings.Repeat("ab-", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := agones.SanitizeLabelValue(s)
		assert.True(t, validLabelValue(v), "SanitizeLabelValue(%q) = %q", s, v)
		if validLabelValue(s) {
			assert.Equal(t, s, v, "a valid value is kept")
		}
	})
}
