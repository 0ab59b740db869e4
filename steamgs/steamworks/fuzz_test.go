package steamworks

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/steamgs/steamgs/steamgs"
)

// FuzzDecodeCallback feeds arbitrary IDs and bytes to the callback decoders:
// they never panic, decode an ID to its own type, keep ClientDenied's text
// valid UTF-8 within 127 bytes and Officer within Member, and ignore bytes
// after the struct. The committed corpus holds every callback's struct as
// the C compiler lays it out under both packs.
func FuzzDecodeCallback(f *testing.F) {
	f.Add(steamgs.IDValidateAuthTicketResponse, make([]byte, 20), false)
	f.Add(steamgs.IDServerReputation, make([]byte, 40), true)
	f.Add(idAPICallCompleted, make([]byte, 16), false)
	f.Add(-1, []byte{}, false)
	f.Fuzz(func(t *testing.T, id int, data []byte, wide bool) {
		pack := 4
		if wide {
			pack = 8
		}
		_, _ = decodeCallCompleted(data)
		if _, ok := decodeCallback(id, data, pack+1, 0); ok {
			t.Fatalf("decoded callback %d under pack %d", id, pack+1)
		}
		cb, ok := decodeCallback(id, data, pack, 9)
		if !ok {
			return
		}
		if cb.CallbackID() != id {
			t.Fatalf("callback %d decoded as %T (ID %d)", id, cb, cb.CallbackID())
		}
		switch v := cb.(type) {
		case steamgs.ClientDenied:
			if !utf8.ValidString(v.Message) || len(v.Message) > maxDenyMessage {
				t.Fatalf("deny message %q: valid UTF-8 %v, %d bytes", v.Message, utf8.ValidString(v.Message), len(v.Message))
			}
		case steamgs.ClientGroupStatus:
			if v.Officer && !v.Member {
				t.Fatalf("officer but not member: %+v", v)
			}
		}
		longer := append(append([]byte(nil), data...), 0xA5, 0x5A, 0xFF)
		cb2, ok := decodeCallback(id, longer, pack, 9)
		if !ok || !reflect.DeepEqual(cb, cb2) {
			t.Fatalf("trailing bytes changed the result: %#v, then %#v (%v)", cb, cb2, ok)
		}
	})
}
