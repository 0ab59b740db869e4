// Command benchratio reads `go test -bench` output on standard input and
// prints the ratios between benchmarks that the project sets targets for,
// each measured in the same run, with whether the target holds.
//
//	go test -run='^$' -bench=. -benchmem ./... | go run ./internal/benchratio
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// target is a ratio the project aims for. The ratio is
// (num - numBase) / den, where numBase is optional, compared to limit.
type target struct {
	what            string
	num, numBase    string // package-qualified benchmark names
	den             string
	limit           float64
	atLeast         bool // the ratio must be >= limit (else <= limit)
	throughputRatio bool // compare throughput: den ns/op over num ns/op
}

const (
	pkgLocal      = "github.com/steamgs/steamgs/steamgs/local."
	pkgQuery      = "github.com/steamgs/steamgs/steamgs/query."
	pkgSteamworks = "github.com/steamgs/steamgs/steamgs/steamworks."
	pkgECS        = "github.com/steamgs/steamgs/ecs."
)

var targets = []target{
	{what: "BeginAuthSession throughput / raw ed25519 Verify", num: pkgLocal + "BenchmarkBeginAuthSession",
		den: pkgLocal + "BenchmarkEd25519Verify", limit: 0.8, atLeast: true, throughputRatio: true},
	{what: "A2S responder / UDP echo (queries per second)", num: pkgQuery + "BenchmarkLoopback/responder",
		den: pkgQuery + "BenchmarkLoopback/echo", limit: 0.85, atLeast: true, throughputRatio: true},
	{what: "quiet tick / bare donburi pass, 64 players", num: pkgECS + "BenchmarkTick/quiet/players=64",
		den: pkgECS + "BenchmarkDonburiEach/players=64", limit: 2},
	{what: "quiet tick / bare donburi pass, 1024 players", num: pkgECS + "BenchmarkTick/quiet/players=1024",
		den: pkgECS + "BenchmarkDonburiEach/players=1024", limit: 2},
	{what: "(one-change tick - quiet tick) / UpdateUserData, 64 players", num: pkgECS + "BenchmarkTick/onechange/players=64",
		numBase: pkgECS + "BenchmarkTick/quiet/players=64", den: pkgECS + "BenchmarkUpdateUserData", limit: 1.5},
	{what: "(one-change tick - quiet tick) / UpdateUserData, 1024 players", num: pkgECS + "BenchmarkTick/onechange/players=1024",
		numBase: pkgECS + "BenchmarkTick/quiet/players=1024", den: pkgECS + "BenchmarkUpdateUserData", limit: 1.5},
	{what: "libsteam_api wrapper / raw purego calls", num: pkgSteamworks + "BenchmarkCall/wrapper",
		den: pkgSteamworks + "BenchmarkCall/raw", limit: 1.5},
}

func main() {
	results, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
	fmt.Println()
	fmt.Println("Ratios (same run):")
	for _, t := range targets {
		fmt.Println(" ", report(t, results))
	}
}

// parse reads benchmark output and returns ns/op by package-qualified name,
// without the -GOMAXPROCS suffix.
func parse(r io.Reader) (map[string]float64, error) {
	out := make(map[string]float64)
	pkg := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		for i := 2; i+1 < len(f); i++ {
			if f[i+1] != "ns/op" {
				continue
			}
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			name := f[0]
			if j := strings.LastIndexByte(name, '-'); j > 0 {
				if _, err := strconv.Atoi(name[j+1:]); err == nil {
					name = name[:j]
				}
			}
			out[pkg+"."+name] = v
			break
		}
	}
	return out, sc.Err()
}

// report formats one target's line.
func report(t target, r map[string]float64) string {
	num, ok1 := r[t.num]
	den, ok2 := r[t.den]
	base, ok3 := 0.0, true
	if t.numBase != "" {
		base, ok3 = r[t.numBase]
	}
	if !ok1 || !ok2 || !ok3 {
		return fmt.Sprintf("%-62s not measured in this run", t.what)
	}
	var ratio float64
	if t.throughputRatio {
		ratio = den / (num - base)
	} else {
		ratio = (num - base) / den
	}
	op, ok := "<=", ratio <= t.limit
	if t.atLeast {
		op, ok = ">=", ratio >= t.limit
	}
	verdict := "meets target"
	if !ok {
		verdict = "MISSES target"
	}
	return fmt.Sprintf("%-62s %6.2fx  (target %s %.2fx: %s)", t.what, ratio, op, t.limit, verdict)
}
