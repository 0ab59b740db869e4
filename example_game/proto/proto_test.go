package proto_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/example_game/proto"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func sampleSnapshot() *proto.Snapshot {
	return &proto.Snapshot{
		Tick: 1234, You: 2,
		Players: []proto.PlayerState{
			{ID: 1, X: proto.ToFixed(10.25), Y: proto.ToFixed(20.5), Score: 3, Auth: proto.AuthApproved, Name: "host"},
			{ID: 2, X: 400, Y: 800, Score: 0, Auth: proto.AuthPending, Name: "Zoë"},
			{ID: 3, X: 1, Y: 2, Score: 1 << 31, Auth: proto.AuthUnauthenticated, Bot: true, Name: "bot 1"},
		},
		Coins: []proto.Point{{X: 40, Y: 80}, {X: 2000, Y: 1600}},
	}
}

func messages() []proto.Message {
	return []proto.Message{
		proto.Hello{Name: "alice"},
		proto.Hello{Name: strings.Repeat("n", proto.MaxNameLen)},
		proto.Challenge{Token: 0x0102030405060708, ServerID: 90071992547409921, Password: true},
		proto.Connect{Token: 7, SteamID: 76561197960265729, Name: "alice", Password: "pw", Ticket: []byte{1, 2, 3, 4}},
		proto.Welcome{PlayerID: 5, TickRate: 30, Width: 640, Height: 448, ServerName: "Coin Arena", Map: "arena"},
		proto.Deny{Reason: proto.ReasonServerFull, Message: "32 of 32 players"},
		proto.Input{Seq: 99, Buttons: 0b1010},
		sampleSnapshot(),
		&proto.Snapshot{},
		proto.Disconnect{Reason: proto.ReasonQuit},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, m := range messages() {
		t.Run(m.Type().String(), func(t *testing.T) {
			pkt := m.AppendTo(nil)
			if !proto.IsGame(pkt) {
				t.Fatalf("IsGame(% x) = false", pkt[:3])
			}
			if len(pkt) > proto.MaxPacketSize {
				t.Errorf("%d bytes, limit %d", len(pkt), proto.MaxPacketSize)
			}
			if typ, err := proto.Peek(pkt); err != nil || typ != m.Type() {
				t.Fatalf("Peek = %v, %v; want %v", typ, err, m.Type())
			}
			got, err := proto.Decode(pkt)
			if err != nil {
				t.Fatal(err)
			}
			if s, ok := m.(*proto.Snapshot); ok && len(s.Players) == 0 {
				// An empty snapshot decodes with empty, not nil, slices.
				g := got.(*proto.Snapshot)
				if len(g.Players) != 0 || len(g.Coins) != 0 || g.Tick != s.Tick {
					t.Errorf("got %+v, want %+v", got, m)
				}
				return
			}
			if !reflect.DeepEqual(got, m) {
				t.Errorf("got %+v, want %+v", got, m)
			}
			if again := got.AppendTo(nil); !bytes.Equal(again, pkt) {
				t.Errorf("re-encoded % x, want % x", again, pkt)
			}
		})
	}
}

func TestHelloIsNotSmallerThanChallenge(t *testing.T) {
	hello := proto.Hello{}.AppendTo(nil)
	challenge := proto.Challenge{}.AppendTo(nil)
	if len(hello) < len(challenge) {
		t.Errorf("Hello is %d bytes, Challenge %d: the answer amplifies", len(hello), len(challenge))
	}
}

func TestEncodersClip(t *testing.T) {
	long := strings.Repeat("é", proto.MaxNameLen) // 2 bytes each
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"short", "bob", "bob"},
		{"at NUL", "bo\x00b", "bo"},
		{"UTF-8 boundary", long, strings.Repeat("é", proto.MaxNameLen/2)},
		{"ASCII", strings.Repeat("a", 40), strings.Repeat("a", proto.MaxNameLen)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := proto.ClipName(tt.in); got != tt.want {
				t.Errorf("ClipName = %q, want %q", got, tt.want)
			}
			m, err := proto.ParseHello(proto.Hello{Name: tt.in}.AppendTo(nil))
			if err != nil {
				t.Fatal(err)
			}
			if m.Name != tt.want {
				t.Errorf("decoded name %q, want %q", m.Name, tt.want)
			}
		})
	}
	big := &proto.Snapshot{Players: make([]proto.PlayerState, 40), Coins: make([]proto.Point, 40)}
	for i := range big.Players {
		big.Players[i].Name = strings.Repeat("x", 30)
	}
	pkt := big.AppendTo(nil)
	if len(pkt) > proto.MaxPacketSize || len(pkt) != big.Size() {
		t.Errorf("largest snapshot is %d bytes (Size %d), limit %d", len(pkt), big.Size(), proto.MaxPacketSize)
	}
	var got proto.Snapshot
	if err := proto.ParseSnapshot(pkt, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Players) != proto.MaxPlayers || len(got.Coins) != proto.MaxCoins {
		t.Errorf("decoded %d players and %d coins, want %d and %d", len(got.Players), len(got.Coins), proto.MaxPlayers, proto.MaxCoins)
	}
}

func TestMalformed(t *testing.T) {
	snap := sampleSnapshot().AppendTo(nil)
	connect := proto.Connect{Name: "a", Ticket: []byte{1}}.AppendTo(nil)
	tests := []struct {
		name string
		pkt  []byte
		want string
	}{
		{"empty", nil, "message is 0 bytes, need at least 3"},
		{"Steam query", []byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'}, "first byte is 0xFF"},
		{"version", []byte{'G', 9, 1}, "version is 9, want 1"},
		{"type", []byte{'G', 1, 0}, "unknown type 0"},
		{"type 200", []byte{'G', 1, 200}, "unknown type 200"},
		{"short input", []byte{'G', 1, 6, 1}, "seq needs 4 bytes, 1 left"},
		{"long input", []byte{'G', 1, 6, 1, 0, 0, 0, 0, 9}, "1 bytes after the last field"},
		{"truncated snapshot", snap[:len(snap)-1], "coin y needs 2 bytes, 1 left"},
		{"trailing snapshot", append(snap[:len(snap):len(snap)], 0), "1 bytes after the last field"},
		{"too many players", []byte{'G', 1, 7, 0, 0, 0, 0, 0, 0, 33}, "player count is 33, limit 32"},
		{"too many coins", []byte{'G', 1, 7, 0, 0, 0, 0, 0, 0, 0, 40}, "coin count is 40, limit 32"},
		{"bad flags", []byte{'G', 1, 7, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0}, "player flags are 0x03"},
		{"long name", append([]byte{'G', 1, 1, 30}, make([]byte, 30)...), "name is 30 bytes, limit 24"},
		{"NUL in name", append([]byte{'G', 1, 1, 2, 'a', 0}, make([]byte, 26)...), "name holds a NUL byte"},
		{"bad UTF-8", append([]byte{'G', 1, 1, 1, 0xC3}, make([]byte, 27)...), "name is not valid UTF-8"},
		{"hello too short", []byte{'G', 1, 1, 0}, "message is 4 bytes, want 32"},
		{"hello padding", append([]byte{'G', 1, 1, 0}, append(make([]byte, 27), 1)...), "padding is not zero"},
		{"ticket too long", append(connect[:len(connect)-3:len(connect)-3], 0x01, 0x08), "ticket is 2049 bytes, limit 1024"},
		{"bool", []byte{'G', 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, "password flag is 2, want 0 or 1"},
		{"reason", []byte{'G', 1, 8, 99}, "reason is 99, want at most 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := proto.Decode(tt.pkt)
			if err == nil {
				t.Fatalf("Decode(% x) = %+v, want an error", tt.pkt, m)
			}
			if !errors.Is(err, proto.ErrMalformed) {
				t.Errorf("error %v does not match ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestParseWrongType(t *testing.T) {
	pkt := proto.Input{Seq: 1}.AppendTo(nil)
	if _, err := proto.ParseDisconnect(pkt); err == nil || !strings.Contains(err.Error(), "type is Input, want Disconnect") {
		t.Errorf("ParseDisconnect(Input) error = %v", err)
	}
	var s proto.Snapshot
	if err := proto.ParseSnapshot(pkt, &s); !errors.Is(err, proto.ErrMalformed) {
		t.Errorf("ParseSnapshot(Input) error = %v", err)
	}
}

func TestToFixed(t *testing.T) {
	tests := []struct {
		in   float32
		want proto.Fixed
	}{
		{0, 0}, {-5, 0}, {0.25, 1}, {0.1, 0}, {0.2, 1}, {100, 400}, {16383.75, 65535}, {1e9, 65535},
	}
	for _, tt := range tests {
		if got := proto.ToFixed(tt.in); got != tt.want {
			t.Errorf("ToFixed(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
	if got := proto.Fixed(401).Float(); got != 100.25 {
		t.Errorf("Fixed(401).Float() = %v, want 100.25", got)
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{proto.TypeSnapshot.String(), "Snapshot"},
		{proto.Type(77).String(), "Type(77)"},
		{proto.ReasonServerFull.String(), "server full"},
		{proto.Reason(200).String(), "Reason(200)"},
		{proto.AuthApproved.String(), "approved"},
		{proto.AuthUnauthenticated.String(), "bot"},
		{proto.Auth(9).String(), "Auth(9)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	snap := sampleSnapshot().AppendTo(nil)
	input := proto.Input{Seq: 1, Buttons: 3}.AppendTo(nil)
	var s proto.Snapshot
	if err := proto.ParseSnapshot(snap, &s); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		fn   func()
	}{
		{"ParseSnapshot", func() { _ = proto.ParseSnapshot(snap, &s) }},
		{"ParseInput", func() { _, _ = proto.ParseInput(input) }},
		{"Snapshot.AppendTo", func() { snap = s.AppendTo(snap[:0]) }},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.fn); n != 0 {
			t.Errorf("%s allocates %v times", tt.name, n)
		}
	}
}

func BenchmarkSnapshot(b *testing.B) {
	s := &proto.Snapshot{Players: make([]proto.PlayerState, 32), Coins: make([]proto.Point, 12)}
	for i := range s.Players {
		s.Players[i] = proto.PlayerState{ID: uint16(i + 1), X: 100, Y: 200, Score: 5, Name: fmt.Sprintf("player %d", i)}
	}
	buf := s.AppendTo(nil)
	var out proto.Snapshot
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		buf = s.AppendTo(buf[:0])
		if err := proto.ParseSnapshot(buf, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleDecode() {
	pkt := proto.Input{Seq: 7, Buttons: 1}.AppendTo(nil)
	m, err := proto.Decode(pkt)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %+v\n", m.Type(), m)
	_, err = proto.Decode([]byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'})
	fmt.Println(err)
	// Output:
	// Input {Seq:7 Buttons:1}
	// proto: malformed header at byte 0 of 5: first byte is 0xFF, want 0x47
}

func TestSnapshotFind(t *testing.T) {
	snap := proto.Snapshot{You: 2, Players: []proto.PlayerState{{ID: 1, Score: 5}, {ID: 2, Score: 7}}}
	tests := []struct {
		id    uint16
		found bool
		score uint32
	}{
		{1, true, 5},
		{2, true, 7},
		{3, false, 0},
		{0, false, 0},
	}
	for _, tt := range tests {
		p := snap.Find(tt.id)
		if (p != nil) != tt.found || p != nil && p.Score != tt.score {
			t.Errorf("Find(%d) = %+v, want found %v with score %d", tt.id, p, tt.found, tt.score)
		}
	}
	if p := snap.Find(snap.You); p == nil || p != &snap.Players[1] {
		t.Error("Find does not point into the snapshot's own players")
	}
}
