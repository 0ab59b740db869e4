package steamworks

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// updateCorpus rewrites the seeds of FuzzDecodeCallback that
// TestFuzzCorpus checks.
var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/fuzz/FuzzDecodeCallback from the fake's structs")

// corpusDir holds the committed seeds of FuzzDecodeCallback.
const corpusDir = "testdata/fuzz/FuzzDecodeCallback"

// FuzzDecodeCallback feeds arbitrary IDs and bytes to the callback decoders:
// they never panic, decode an ID to its own type, keep ClientDenied's text
// and ClientAchievementStatus's name valid UTF-8 within 127 bytes and
// Officer within Member, and ignore bytes after the struct. The committed
// corpus holds every callback case's struct as the C compiler lays it out
// under both packs (see TestFuzzCorpus).
func FuzzDecodeCallback(f *testing.F) {
	f.Add(steamgs.IDValidateAuthTicketResponse, make([]byte, 20), false)
	f.Add(steamgs.IDValidateAuthTicketResponse, make([]byte, 20), true)
	f.Add(steamgs.IDClientAchievementStatus, make([]byte, 140), false)
	f.Add(steamgs.IDClientAchievementStatus, make([]byte, 144), true)
	f.Add(steamgs.IDServerReputation, make([]byte, 40), true)
	f.Add(idAPICallCompleted, make([]byte, 16), false)
	f.Add(-1, []byte{}, false)
	f.Fuzz(func(t *testing.T, id int, data []byte, wide bool) {
		pack := 4
		if wide {
			pack = 8
		}
		_, _ = decodeCallCompleted(data)
		_, ok := decodeCallback(id, data, pack+1, 0)
		require.False(t, ok, "decoded callback %d under pack %d", id, pack+1)
		cb, ok := decodeCallback(id, data, pack, 9)
		if !ok {
			return
		}
		require.True(t, knownCallback(id), "decoded callback %d, which knownCallback does not know", id)
		require.Equal(t, id, cb.CallbackID(), "callback %d decoded as %T", id, cb)
		switch v := cb.(type) {
		case steamgs.ClientDenied:
			require.True(t, utf8.ValidString(v.Message), "deny message %q is not UTF-8", v.Message)
			require.LessOrEqual(t, len(v.Message), maxDenyMessage, "deny message %q", v.Message)
		case steamgs.ClientAchievementStatus:
			require.True(t, utf8.ValidString(v.Achievement), "achievement %q is not UTF-8", v.Achievement)
			require.LessOrEqual(t, len(v.Achievement), maxAchievementName, "achievement %q", v.Achievement)
		case steamgs.ClientGroupStatus:
			require.False(t, v.Officer && !v.Member, "officer but not member: %+v", v)
		}
		longer := append(append([]byte(nil), data...), 0xA5, 0x5A, 0xFF)
		cb2, ok := decodeCallback(id, longer, pack, 9)
		require.True(t, ok, "trailing bytes made the payload refused")
		require.Equal(t, cb, cb2, "trailing bytes changed the result")
	})
}

// corpusName is the seed file of a callback case under pack.
func corpusName(tc cbCase, pack int) string {
	return strings.NewReplacer("/", "_", " ", "_").Replace(tc.name) + fmt.Sprintf("_pack%d", pack)
}

// corpusEntry renders a seed of FuzzDecodeCallback in the format of
// `go test fuzz v1`.
func corpusEntry(id int, data []byte, wide bool) string {
	return fmt.Sprintf("go test fuzz v1\nint(%d)\n[]byte(%q)\nbool(%v)\n", id, data, wide)
}

// TestFuzzCorpus checks that the committed seeds hold each callback case's
// struct as the fake lays it out under each packing; -update-corpus
// rewrites them.
func TestFuzzCorpus(t *testing.T) {
	fakes := packFakes(t)
	for _, tc := range callbackCases() {
		for _, pack := range packs {
			name := corpusName(tc, pack)
			want := corpusEntry(tc.id, fakes[pack].encode(tc.id, tc.fields, tc.text), pack == 8)
			path := filepath.Join(corpusDir, name)
			if *updateCorpus {
				require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
				continue
			}
			got, err := os.ReadFile(path)
			if assert.NoError(t, err, "seed %s (go test -run TestFuzzCorpus -update-corpus writes it)", name) {
				assert.Equal(t, want, string(got), "seed %s (go test -run TestFuzzCorpus -update-corpus rewrites it)", name)
			}
		}
	}
}
