package readme

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// root is the repository's root, from this package's folder.
const root = "../.."

// marker names the Example a Go block mirrors.
var marker = regexp.MustCompile(`^<!-- example: (\S+) (Example\w*) -->$`)

// block is one Go block of a Markdown file.
type block struct {
	line      int    // the line of its opening fence
	dir, name string // from the marker before it; empty when there is none
	code      string
}

// goBlocks returns the Go blocks of the Markdown file at path.
func goBlocks(t *testing.T, path string) []block {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []block
	var cur *block
	var code []string
	prev := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case cur != nil && l == "```":
			cur.code = strings.Join(code, "\n")
			out = append(out, *cur)
			cur, code = nil, nil
		case cur != nil:
			code = append(code, l)
		case l == "```go":
			cur = &block{line: n}
			if m := marker.FindStringSubmatch(prev); m != nil {
				cur.dir, cur.name = m[1], m[2]
			}
		}
		if strings.TrimSpace(l) != "" {
			prev = l
		}
	}
	require.NoError(t, sc.Err())
	require.Nil(t, cur, "%s: a Go block opened on line %d is not closed", path, n(cur))
	return out
}

func n(b *block) int {
	if b == nil {
		return 0
	}
	return b.line
}

// exampleBody returns the body of the function name in the test files of
// the package at dir, without its braces and one level of indentation.
func exampleBody(t *testing.T, dir, name string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, path := range files {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Name.Name != name || fn.Body == nil {
				continue
			}
			body := string(src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset])
			lines := strings.Split(strings.Trim(body, "\n"), "\n")
			for i, l := range lines {
				lines[i] = strings.TrimPrefix(l, "\t")
			}
			return strings.Join(lines, "\n")
		}
	}
	require.Failf(t, "no example", "no function %s in the test files of %s", name, dir)
	return ""
}

// TestGoBlocksAreExamples checks every Go block of README.md is the body
// of the runnable Example its marker names.
func TestGoBlocksAreExamples(t *testing.T) {
	blocks := goBlocks(t, filepath.Join(root, "README.md"))
	require.NotEmpty(t, blocks, "Go blocks in README.md")
	for _, b := range blocks {
		require.NotEmpty(t, b.name, "README.md line %d: a Go block without an <!-- example: DIR EXAMPLE --> comment before it", b.line)
		t.Run(b.dir+"/"+b.name, func(t *testing.T) {
			body := exampleBody(t, filepath.Join(root, filepath.FromSlash(b.dir)), b.name)
			assert.Contains(t, body, "// Output:", "%s has no Output comment, so go test would not run it", b.name)
			assert.Equal(t, body, b.code, "README.md line %d differs from the body of %s in %s", b.line, b.name, b.dir)
		})
	}
}

// TestGoBlocks checks the parser of this test on a small file.
func TestGoBlocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.md")
	require.NoError(t, os.WriteFile(path, []byte("text\n\n<!-- example: a/b ExampleX -->\n```go\nfoo()\n\tbar()\n```\n\n```go\nbaz()\n```\n```sh\nls\n```\n"), 0o644))
	got := goBlocks(t, path)
	assert.Equal(t, []block{{line: 4, dir: "a/b", name: "ExampleX", code: "foo()\n\tbar()"}, {line: 9, code: "baz()"}}, got)
}
