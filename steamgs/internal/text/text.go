// Package text holds the string handling that steamgs and its back ends
// share: C strings read from fixed buffers and values clipped for error
// messages.
package text

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// ClipLen is how many bytes of a value [Clip] keeps.
const ClipLen = 64

// Clip shortens s for an error message, so that hostile input cannot make
// errors arbitrarily large: at most ClipLen bytes, cut at a character
// boundary, then "...".
func Clip(s string) string {
	if len(s) <= ClipLen {
		return s
	}
	cut := ClipLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// CString returns the C string at the start of b as Go text: the bytes
// before the first NUL (all of b when there is none), at most max bytes,
// with bytes that are not UTF-8 replaced by U+FFFD and the result cut back
// to max bytes at a character boundary.
func CString(b []byte, max int) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) > max {
		b = b[:max]
	}
	s := string(b)
	if utf8.ValidString(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	for len(s) > max {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
