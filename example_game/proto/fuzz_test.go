package proto_test

import (
	"bytes"
	"testing"

	"github.com/steamgs/steamgs/example_game/proto"
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
			if m != nil {
				t.Fatalf("Decode returned %+v with error %v", m, err)
			}
			return
		}
		if again := m.AppendTo(nil); !bytes.Equal(again, pkt) {
			t.Fatalf("decoded %+v re-encodes to % x, want % x", m, again, pkt)
		}
		if len(pkt) > proto.MaxPacketSize {
			t.Fatalf("accepted a %d-byte message, limit %d", len(pkt), proto.MaxPacketSize)
		}
		var s proto.Snapshot
		if err := proto.ParseSnapshot(pkt, &s); (err == nil) != (m.Type() == proto.TypeSnapshot) {
			t.Fatalf("ParseSnapshot error %v for a %s", err, m.Type())
		}
	})
}
