package proto_test

import (
	"testing"

	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/stretchr/testify/require"
)

// FuzzDecode checks that no input makes the decoders panic, and that every
// message they accept encodes back to the same bytes (the encoding is
// canonical).
func FuzzDecode(f *testing.F) {
	for _, m := range messages() {
		f.Add(m.AppendTo(nil))
	}
	f.Fuzz(func(t *testing.T, pkt []byte) {
		m, err := proto.Decode(pkt)
		if err != nil {
			require.True(t, m == nil, "Decode returned %+v with error %v", m, err)
			return
		}
		require.Equal(t, pkt, m.AppendTo(nil), "re-encoding of the decoded %+v", m)
		require.LessOrEqual(t, len(pkt), proto.MaxPacketSize, "size of an accepted message")
		var s proto.Snapshot
		err = proto.ParseSnapshot(pkt, &s)
		require.Equal(t, m.Type() == proto.TypeSnapshot, err == nil, "ParseSnapshot error %v for a %s", err, m.Type())
	})
}
