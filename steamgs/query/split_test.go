package query

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitCount(t *testing.T) {
	tests := []struct{ size, want int }{
		{0, 1}, {9, 1}, {MaxPacketSize, 1}, {MaxPacketSize + 1, 2}, {2 * SplitSize, 2},
		{2*SplitSize + 1, 3}, {MaxReplySize, MaxFragments}, {MaxReplySize + 1, MaxFragments + 1},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, SplitCount(tt.size), "SplitCount(%d)", tt.size)
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
			require.NoError(t, err)
			require.LessOrEqual(t, len(f), SplitHeaderSize+SplitSize, "size of fragment %d", i)
			require.LessOrEqual(t, len(f), MaxPacketSize, "size of fragment %d", i)
			want := []byte{0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, byte(total), byte(i), 0xE0, 0x04}
			require.Equal(t, want, f[:SplitHeaderSize], "header of fragment %d", i)
			frags = append(frags, f)
		}
		rng.Shuffle(len(frags), func(i, j int) { frags[i], frags[j] = frags[j], frags[i] })
		got, err := Reassemble(frags)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(got, r), "reassembled %d bytes", n)
	}
}

func TestAppendFragmentErrors(t *testing.T) {
	r := reply(MaxReplySize + 1)
	b, err := AppendFragment([]byte("x"), 1, r, 0)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.ErrorContains(t, err, "query: split reply is 318241 bytes, limit 318240")
	assert.Equal(t, "x", string(b))
	_, err = AppendFragment(nil, 1, reply(3000), 3)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "fragment number 3 out of range [0, 3)")
	_, err = AppendFragment(nil, 1, reply(3000), -1)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestReassembleErrors(t *testing.T) {
	r := reply(3000)
	frag := func(id uint32, n int) []byte {
		f, err := AppendFragment(nil, id, r, n)
		require.NoError(t, err)
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
			assert.ErrorIs(t, err, ErrMalformed)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestParseFragment(t *testing.T) {
	f, err := AppendFragment(nil, 0x1234, reply(2000), 1)
	require.NoError(t, err)
	got, err := ParseFragment(f)
	require.NoError(t, err)
	assert.Equal(t, uint32(0x1234), got.ID)
	assert.Equal(t, uint8(2), got.Total)
	assert.Equal(t, uint8(1), got.Number)
	assert.Equal(t, uint16(SplitSize), got.Size)
	assert.Len(t, got.Payload, 2000-SplitSize)
	assert.False(t, got.Compressed(), "compressed")
}
