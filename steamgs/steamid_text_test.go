package steamgs_test

import (
	"bytes"
	"encoding"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steamgs/steamgs/steamgs"
)

// The text interfaces, checked at compile time.
var (
	_ encoding.TextMarshaler   = steamgs.SteamID(0)
	_ encoding.TextAppender    = steamgs.SteamID(0)
	_ encoding.TextUnmarshaler = (*steamgs.SteamID)(nil)
)

// TestSteamIDText checks MarshalText and AppendText write String's form and
// UnmarshalText reads it back, for valid IDs and for others (zero, console
// users, types outside the SDK's range, every bit set).
func TestSteamIDText(t *testing.T) {
	ids := append([]steamgs.SteamID{0, math.MaxUint64, gaben | 0xF<<52,
		steamgs.NewSteamID(steamgs.UniverseInvalid, steamgs.AccountTypeIndividual, 0, 0)}, validIDs...)
	for _, id := range ids {
		text, err := id.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, id.String(), string(text), "MarshalText(%d)", uint64(id))
		app, err := id.AppendText([]byte("id="))
		require.NoError(t, err)
		assert.Equal(t, "id="+id.String(), string(app), "AppendText(%d)", uint64(id))
		var back steamgs.SteamID
		require.NoError(t, back.UnmarshalText(text), "UnmarshalText(%q)", text)
		assert.Equal(t, id, back, "UnmarshalText(%q)", text)
	}
}

func TestSteamIDUnmarshalTextError(t *testing.T) {
	id := gaben
	for _, text := range []string{"", "[U:1]", "alice", "[X:1:5]", "18446744073709551616"} {
		err := id.UnmarshalText([]byte(text))
		require.ErrorIs(t, err, steamgs.ErrInvalidSteamID, "UnmarshalText(%q)", text)
		assert.Equal(t, gaben, id, "UnmarshalText(%q) changed the ID on error", text)
	}
	err := id.UnmarshalText([]byte("[U:1:x]"))
	assert.ErrorContains(t, err, `"[U:1:x]"`, "the error names the text")
}

// TestSteamIDFlag checks that a SteamID works as a flag.TextVar: its default
// shows in the text form and both forms parse.
func TestSteamIDFlag(t *testing.T) {
	var id steamgs.SteamID
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.TextVar(&id, "owner", gaben, "the owner's Steam ID")
	assert.Equal(t, gaben, id, "the default")
	assert.Equal(t, "[U:1:22202]", fs.Lookup("owner").DefValue, "the default as -h shows it")
	require.NoError(t, fs.Parse([]string{"-owner", "[G:1:77]"}))
	assert.Equal(t, steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, 77), id)
	require.NoError(t, fs.Parse([]string{"-owner", "76561197960287930"}))
	assert.Equal(t, gaben, id)
	err := fs.Parse([]string{"-owner", "bob"})
	assert.ErrorContains(t, err, `"bob"`, "the flag's error names the value")
}

// TestSteamIDJSON checks a SteamID is a JSON string in the text form, as a
// value and as a map key, and reads back.
func TestSteamIDJSON(t *testing.T) {
	type player struct {
		ID     steamgs.SteamID            `json:"id"`
		Scores map[steamgs.SteamID]uint32 `json:"scores"`
	}
	in := player{ID: gaben, Scores: map[steamgs.SteamID]uint32{steamgs.IndividualID(5): 3}}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"[U:1:22202]","scores":{"[U:1:5]":3}}`, string(b))
	var out player
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)
	err = json.Unmarshal([]byte(`{"id":"[U:1:x]"}`), &out)
	assert.ErrorIs(t, err, steamgs.ErrInvalidSteamID)
}

// TestSteamIDSlog checks slog writes a SteamID in the text form with both
// of its handlers.
func TestSteamIDSlog(t *testing.T) {
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("joined", "player", gaben)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("joined", "player", gaben)
	assert.Contains(t, text.String(), "player=[U:1:22202]")
	assert.Contains(t, js.String(), `"player":"[U:1:22202]"`)
}
