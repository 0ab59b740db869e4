package text

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestClip(t *testing.T) {
	assert.Equal(t, "short", Clip("short"))
	assert.Equal(t, strings.Repeat("a", ClipLen), Clip(strings.Repeat("a", ClipLen)))
	assert.Equal(t, strings.Repeat("a", ClipLen)+"...", Clip(strings.Repeat("a", ClipLen+1)))
	long := strings.Repeat("é", ClipLen) // two bytes each: byte ClipLen starts a rune
	got := Clip("x" + long)
	assert.True(t, utf8.ValidString(got), "clipped %q is not UTF-8", got)
	assert.LessOrEqual(t, len(got), ClipLen+3)
}

func TestCString(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		max  int
		want string
	}{
		{"up to the NUL", []byte("abc\x00def"), 127, "abc"},
		{"no NUL", []byte("abcdef"), 127, "abcdef"},
		{"empty", nil, 127, ""},
		{"cut at max", []byte("abcdef"), 3, "abc"},
		{"bad UTF-8 replaced", []byte("a\xffb"), 127, "a\uFFFDb"},
		{"replacement cut back", []byte("ab\xff"), 3, "ab"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, CString(tt.in, tt.max), tt.name)
	}
}

func FuzzCString(f *testing.F) {
	f.Add([]byte("abc\x00"), 127)
	f.Add([]byte("\xff\xfe"), 1)
	f.Fuzz(func(t *testing.T, b []byte, max int) {
		if max < 0 || max > 4096 {
			return
		}
		s := CString(b, max)
		if len(s) > max || !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			t.Fatalf("CString(%q, %d) = %q", b, max, s)
		}
	})
}
