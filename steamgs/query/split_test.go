package query

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

func TestSplitCount(t *testing.T) {
	tests := []struct{ size, want int }{
		{0, 1}, {9, 1}, {MaxPacketSize, 1}, {MaxPacketSize + 1, 2}, {2 * SplitSize, 2},
		{2*SplitSize + 1, 3}, {MaxReplySize, MaxFragments}, {MaxReplySize + 1, MaxFragments + 1},
	}
	for _, tt := range tests {
		equal(t, SplitCount(tt.size), tt.want, "SplitCount(%d)", tt.size)
	}
}

// reply makes a reply of n bytes that begins FF FF FF FF, with varied content.
func reply(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	copy(b, []byte{0xFF, 0xFF, 0xFF, 0xFF, 'E'})
	return b
}

func TestFragmentRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{MaxPacketSize + 1, 2 * SplitSize, 2*SplitSize + 1, 100_000, MaxReplySize} {
		r := reply(n)
		total := SplitCount(n)
		id := uint32(0xFFFF_FFFF) // the compression bit must be cleared
		var frags [][]byte
		for i := range total {
			f, err := AppendFragment(nil, id, r, i)
			noErr(t, err)
			if len(f) > SplitHeaderSize+SplitSize || len(f) > MaxPacketSize {
				t.Fatalf("fragment %d is %d bytes", i, len(f))
			}
			want := []byte{0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, byte(total), byte(i), 0xE0, 0x04}
			mustEqual(t, f[:SplitHeaderSize], want, "header of fragment %d", i)
			frags = append(frags, f)
		}
		rng.Shuffle(len(frags), func(i, j int) { frags[i], frags[j] = frags[j], frags[i] })
		got, err := Reassemble(frags)
		noErr(t, err)
		isTrue(t, bytes.Equal(got, r), "reassembled %d bytes", n)
	}
}

func TestAppendFragmentErrors(t *testing.T) {
	r := reply(MaxReplySize + 1)
	b, err := AppendFragment([]byte("x"), 1, r, 0)
	isErr(t, err, ErrTooLarge)
	errContains(t, err, "query: split reply is 318241 bytes, limit 318240")
	equal(t, string(b), "x")
	_, err = AppendFragment(nil, 1, reply(3000), 3)
	isErr(t, err, ErrInvalid)
	errContains(t, err, "fragment number 3 out of range [0, 3)")
	_, err = AppendFragment(nil, 1, reply(3000), -1)
	isErr(t, err, ErrInvalid)
}

func TestReassembleErrors(t *testing.T) {
	r := reply(3000)
	frag := func(id uint32, n int) []byte {
		f, err := AppendFragment(nil, id, r, n)
		noErr(t, err)
		return f
	}
	compressed := frag(5, 0)
	compressed[7] |= 0x80
	tests := []struct {
		name string
		pkts [][]byte
		want string
	}{
		{"none", nil, "no fragments"},
		{"missing", [][]byte{frag(5, 0), frag(5, 1)}, "2 fragments, want 3"},
		{"repeated", [][]byte{frag(5, 0), frag(5, 1), frag(5, 1)}, "fragment number 1 repeated"},
		{"mixed ids", [][]byte{frag(5, 0), frag(6, 1), frag(5, 2)}, "has ID 0x6"},
		{"compressed", [][]byte{compressed}, "compressed"},
		{"not a fragment", [][]byte{r[:20]}, "header is not FE FF FF FF"},
		{"short header", [][]byte{frag(5, 0)[:11]}, "truncated"},
		{"number not below total", [][]byte{{0xFE, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 2, 2, 0, 0}}, "number 2 not below total 2"},
		{"zero total", [][]byte{{0xFE, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0}}, "not below total 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Reassemble(tt.pkts)
			isErr(t, err, ErrMalformed)
			errContains(t, err, tt.want)
		})
	}
}

func TestParseFragment(t *testing.T) {
	f, err := AppendFragment(nil, 0x1234, reply(2000), 1)
	noErr(t, err)
	got, err := ParseFragment(f)
	noErr(t, err)
	equal(t, got.ID, uint32(0x1234))
	equal(t, got.Total, uint8(2))
	equal(t, got.Number, uint8(1))
	equal(t, got.Size, uint16(SplitSize))
	equal(t, len(got.Payload), 2000-SplitSize)
	isTrue(t, !got.Compressed(), "compressed")
}
