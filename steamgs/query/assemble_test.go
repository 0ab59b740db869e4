package query

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// splitInto returns the fragments of reply under id, in order.
func splitInto(t testing.TB, id uint32, reply []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for i := range SplitCount(len(reply)) {
		f, err := AppendFragment(nil, id, reply, i)
		require.NoError(t, err)
		out = append(out, f)
	}
	return out
}

func TestAssembler(t *testing.T) {
	whole := reply(3000)
	frags := splitInto(t, 3, whole)
	require.Len(t, frags, 3)
	other := splitInto(t, 4, reply(2600))
	tests := []struct {
		name string
		pkts [][]byte
		want []byte // the reply of the last datagram; nil for none
	}{
		{"whole", [][]byte{AppendChallenge(nil, 1)}, AppendChallenge(nil, 1)},
		{"in order", frags, whole},
		{"reversed", [][]byte{frags[2], frags[1], frags[0]}, whole},
		{"repeats", [][]byte{frags[0], frags[0], frags[2], frags[2], frags[1]}, whole},
		{"incomplete", [][]byte{frags[0], frags[2]}, nil},
		{"a new ID starts over", [][]byte{frags[0], frags[1], other[0], frags[2]}, nil},
		{"after a stale fragment", [][]byte{other[1], frags[1], frags[0], frags[2]}, whole},
		{"junk", [][]byte{nil, {0xFE}, []byte("hello world"), {0xFE, 0xFF, 0xFF, 0xFF, 1}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a assembler
			var got []byte
			for i, p := range tt.pkts {
				out, err := a.add(p)
				require.NoError(t, err, "datagram %d", i)
				if i < len(tt.pkts)-1 && tt.want != nil && len(tt.pkts) > 1 {
					require.Nil(t, out, "a reply before the last datagram (%d)", i)
				}
				got = out
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestAssemblerErrors(t *testing.T) {
	frags := splitInto(t, 3, reply(3000))
	compressed := append([]byte(nil), frags[0]...)
	binary.LittleEndian.PutUint32(compressed[4:], 0x80000003)
	var a assembler
	_, err := a.add(compressed)
	require.ErrorIs(t, err, ErrMalformed)
	assert.ErrorContains(t, err, "compressed flag")

	wrongTotal := append([]byte(nil), frags[1]...)
	wrongTotal[8] = 4
	a = assembler{}
	_, err = a.add(frags[0])
	require.NoError(t, err)
	_, err = a.add(wrongTotal)
	require.ErrorIs(t, err, ErrMalformed)
	assert.ErrorContains(t, err, "says 4 fragments, earlier ones 3")
}

// TestAssemblerEmptyFragment checks a fragment with no payload counts once.
func TestAssemblerEmptyFragment(t *testing.T) {
	empty := []byte{0xFE, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 2, 0, 0xE0, 0x04}
	var a assembler
	for range 3 {
		out, err := a.add(empty)
		require.NoError(t, err)
		require.Nil(t, out, "an empty fragment repeated completed a reply of two")
	}
}

// fuzzDatagrams splits fuzz input into datagrams, each a u16 length and its
// bytes; a length past the end takes the rest.
func fuzzDatagrams(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 2 {
		n := int(binary.LittleEndian.Uint16(b))
		b = b[2:]
		n = min(n, len(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

// joinDatagrams is the inverse of fuzzDatagrams, for seeds.
func joinDatagrams(pkts ...[]byte) []byte {
	var b []byte
	for _, p := range pkts {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(p)))
		b = append(b, p...)
	}
	return b
}

// FuzzAssemble feeds the datagrams of a reply, in any order, to an
// assembler: it never panics, and a split reply it completes is the one
// Reassemble makes of the distinct fragments fed since the reply's ID was
// last taken up.
func FuzzAssemble(f *testing.F) {
	whole := reply(3000)
	frags := splitInto(f, 3, whole)
	other := splitInto(f, 4, reply(1500))
	compressed := append([]byte(nil), frags[0]...)
	binary.LittleEndian.PutUint32(compressed[4:], 0x80000003)
	f.Add(joinDatagrams(AppendChallenge(nil, 5)))
	f.Add(joinDatagrams(frags...))
	f.Add(joinDatagrams(frags[2], frags[0], frags[0], frags[1]))
	f.Add(joinDatagrams(other[0], frags[1], other[1], frags[0], frags[2]))
	f.Add(joinDatagrams(compressed, frags[1]))
	f.Add(joinDatagrams([]byte{0xFE, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 2, 0, 0xE0, 0x04}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a assembler
		var since [][]byte // fragments of the current ID, first copy of each number
		var seen [MaxFragments]bool
		id, started := uint32(0), false
		for _, p := range fuzzDatagrams(b) {
			fr, ferr := ParseFragment(p)
			isFrag := ferr == nil && !fr.Compressed()
			if isFrag && (!started || fr.ID != id) {
				id, started, since, seen = fr.ID, true, nil, [MaxFragments]bool{}
			}
			if isFrag && !seen[fr.Number] {
				seen[fr.Number] = true
				since = append(since, p)
			}
			out, err := a.add(p)
			if err != nil {
				require.ErrorIs(t, err, ErrMalformed)
				require.Nil(t, out)
				return
			}
			if out == nil || !isFrag {
				if out != nil {
					require.Equal(t, p, out, "a whole datagram comes back as it is")
				}
				continue
			}
			want, err := Reassemble(since)
			require.NoError(t, err, "Reassemble of the fragments the assembler completed")
			require.Equal(t, want, out)
			started, since, seen = false, nil, [MaxFragments]bool{}
		}
	})
}
