package agones

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Kubernetes' limits on a label: a value (and a key's name part) has at
// most 63 characters of [a-zA-Z0-9._-] and begins and ends with a letter or
// digit; the SDK stores a label KEY as agones.dev/sdk-KEY, so KEY has at
// most 59.
const (
	MaxLabelValue = 63
	MaxLabelKey   = MaxLabelValue - len("sdk-")
)

// Label keys the Agent sets (as agones.dev/sdk-KEY).
const (
	LabelSteamID = "steam-id" // the server's Steam ID as a decimal number
	LabelMap     = "map"      // the map name, sanitised
	LabelVersion = "version"  // the server's version, sanitised
)

func labelChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
}

func alnum(c byte) bool { return labelChar(c) && c != '.' && c != '_' && c != '-' }

// SanitizeLabelValue returns s as a valid Kubernetes label value: every
// byte other than [a-zA-Z0-9._-] becomes '-' (so a multi-byte character
// becomes several), the result is cut to MaxLabelValue, and whatever is not
// a letter or digit at either end is trimmed; it may be empty.
func SanitizeLabelValue(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !labelChar(c) {
			b[i] = '-'
		}
	}
	if len(b) > MaxLabelValue {
		b = b[:MaxLabelValue]
	}
	start, end := 0, len(b)
	for start < end && !alnum(b[start]) {
		start++
	}
	for end > start && !alnum(b[end-1]) {
		end--
	}
	return string(b[start:end])
}

// CheckLabelKey returns an error naming key when the SDK's label
// agones.dev/sdk-KEY would break Kubernetes' rules: KEY empty, longer than
// MaxLabelKey, with a byte other than [a-zA-Z0-9._-], or not ending with a
// letter or digit.
func CheckLabelKey(key string) error {
	if key == "" {
		return fmt.Errorf("agones: label key is empty")
	}
	if len(key) > MaxLabelKey {
		return fmt.Errorf("agones: label key %q has %d bytes, at most %d allowed", key, len(key), MaxLabelKey)
	}
	if i := strings.IndexFunc(key, func(r rune) bool { return r > 0x7f || !labelChar(byte(r)) }); i >= 0 {
		_, n := utf8.DecodeRuneInString(key[i:])
		return fmt.Errorf("agones: label key %q has %q at byte %d; only [a-zA-Z0-9._-] are allowed", key, key[i:i+n], i)
	}
	if !alnum(key[len(key)-1]) {
		return fmt.Errorf("agones: label key %q must end with a letter or digit", key)
	}
	return nil
}
