package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestCommittedFilesAreGenerated checks that the PNG files in the assets
// folder are what this program draws, so that art and generator never drift.
func TestCommittedFilesAreGenerated(t *testing.T) {
	files, err := Files()
	require.NoError(t, err)
	assert.Len(t, files, 5, "generated files")
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", name))
		require.NoError(t, err, "%s (run go generate ./assets)", name)
		assert.True(t, bytes.Equal(got, want), "%s differs from the generator's output; run go generate ./assets", name)
	}
}

func TestRunWritesFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, run(dir))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 5, "files run wrote")
}
