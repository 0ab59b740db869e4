// Command benchratio reads `go test -bench` output on standard input and
// prints the ratios between benchmarks that the project sets targets for,
// each measured in the same run, with whether the target holds: ratios of
// ns/op, or of the metrics a benchmark reports itself (b.ReportMetric, such
// as p99-ms), and a few such metrics on their own (answered-%).
//
//	go test -run='^$' -bench=. -benchmem ./... | go run ./internal/benchratio
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// target is a ratio the project aims for. The ratio is
// (num - numBase) / den, where numBase is optional, compared to limit; the
// values are ns/op, or the metric unit names. Without den, num's value
// itself is compared to limit.
type target struct {
	what            string
	num, numBase    string // package-qualified benchmark names
	den             string
	unit            string // of num, numBase and den; "" is ns/op
	denUnit         string // of den when it differs from unit
	limit           float64
	atLeast         bool // the ratio must be >= limit (else <= limit)
	throughputRatio bool // compare throughput: den ns/op over num ns/op
}

const (
	pkgLocal      = "github.com/steamgs/steamgs/steamgs/local."
	pkgQuery      = "github.com/steamgs/steamgs/steamgs/query."
	pkgSteamworks = "github.com/steamgs/steamgs/steamgs/steamworks."
	pkgECS        = "github.com/steamgs/steamgs/ecs."
	pkgServer     = "github.com/steamgs/steamgs/example_game/server."
	loadBench     = pkgServer + "BenchmarkSharedSocket/"
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
		numBase: pkgECS + "BenchmarkTick/quiet/players=64", den: pkgECS + "BenchmarkUpdateUserData/players=64", limit: 1.5},
	{what: "(one-change tick - quiet tick) / UpdateUserData, 1024 players", num: pkgECS + "BenchmarkTick/onechange/players=1024",
		numBase: pkgECS + "BenchmarkTick/quiet/players=1024", den: pkgECS + "BenchmarkUpdateUserData/players=1024", limit: 1.5},
	{what: "libsteam_api wrapper / raw purego calls", num: pkgSteamworks + "BenchmarkCall/wrapper",
		den: pkgSteamworks + "BenchmarkCall/raw", limit: 1.5},
	{what: "A2S p99: shared game socket / own query port", num: loadBench + "quiet", unit: "p99-ms",
		den: loadBench + "quiet", denUnit: "own-p99-ms", limit: 2},
	{what: "A2S answered under a flood of 1 source (%)", num: loadBench + "a2s-flood/sources=1", unit: "answered-%",
		limit: 95, atLeast: true},
	{what: "A2S answered under a flood of 200 sources (%)", num: loadBench + "a2s-flood/sources=200", unit: "answered-%",
		limit: 95, atLeast: true},
	{what: "inputs received: A2S flood of 1 source / none", num: loadBench + "a2s-flood/sources=1", unit: "inputs-%",
		den: loadBench + "quiet", limit: 0.95, atLeast: true},
	{what: "inputs received: A2S flood of 200 sources / none", num: loadBench + "a2s-flood/sources=200", unit: "inputs-%",
		den: loadBench + "quiet", limit: 0.95, atLeast: true},
	{what: "inputs received: junk flood of 1 source / none", num: loadBench + "junk-flood/sources=1", unit: "inputs-%",
		den: loadBench + "quiet", limit: 0.95, atLeast: true},
	{what: "inputs received: junk flood of 200 sources / none", num: loadBench + "junk-flood/sources=200", unit: "inputs-%",
		den: loadBench + "quiet", limit: 0.95, atLeast: true},
	{what: "A2S round trip: shared socket / own query port (queries/s)", num: pkgServer + "BenchmarkQueryRoundTrip/shared",
		den: pkgServer + "BenchmarkQueryRoundTrip/own-port", limit: 0.85, atLeast: true, throughputRatio: true},
	{what: "allocations per Steam datagram (Plugin.HandlePacket, INFO)", num: pkgECS + "BenchmarkHandlePacket/info",
		unit: "allocs/op", limit: 0},
	{what: "allocations per A2S round trip on the shared socket", num: pkgServer + "BenchmarkQueryRoundTrip/shared",
		unit: "allocs/op", limit: 0},
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

// results are a run's values: by package-qualified benchmark name, without
// the -GOMAXPROCS suffix, then by unit (ns/op, B/op, p99-ms, ...), one per
// time the benchmark ran (-count).
type results map[string]map[string][]float64

// parse reads benchmark output and returns its results.
func parse(r io.Reader) (results, error) {
	out := make(results)
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
		name := f[0]
		if j := strings.LastIndexByte(name, '-'); j > 0 {
			if _, err := strconv.Atoi(name[j+1:]); err == nil {
				name = name[:j]
			}
		}
		// After the name and the iteration count come value-unit pairs.
		key := pkg + "." + name
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			if out[key] == nil {
				out[key] = make(map[string][]float64)
			}
			out[key][f[i+1]] = append(out[key][f[i+1]], v)
		}
	}
	return out, sc.Err()
}

// value returns the value of unit ("" is ns/op) of the benchmark name: the
// median of its runs, so that one noisy run of a benchmark run several
// times does not decide a ratio.
func (r results) value(name, unit string) (float64, bool) {
	if unit == "" {
		unit = "ns/op"
	}
	v := slices.Clone(r[name][unit])
	if len(v) == 0 {
		return 0, false
	}
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2, true
	}
	return v[len(v)/2], true
}

// report formats one target's line.
func report(t target, r results) string {
	num, ok1 := r.value(t.num, t.unit)
	den, ok2 := 1.0, true
	if t.den != "" {
		denUnit := t.unit
		if t.denUnit != "" {
			denUnit = t.denUnit
		}
		den, ok2 = r.value(t.den, denUnit)
	}
	base, ok3 := 0.0, true
	if t.numBase != "" {
		base, ok3 = r.value(t.numBase, t.unit)
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
	if t.den == "" {
		op, ok := "<=", ratio <= t.limit
		if t.atLeast {
			op, ok = ">=", ratio >= t.limit
		}
		return fmt.Sprintf("%-62s %6.2f   (target %s %.2f: %s)", t.what, ratio, op, t.limit, verdict(ok))
	}
	op, ok := "<=", ratio <= t.limit
	if t.atLeast {
		op, ok = ">=", ratio >= t.limit
	}
	return fmt.Sprintf("%-62s %6.2fx  (target %s %.2fx: %s)", t.what, ratio, op, t.limit, verdict(ok))
}

// verdict says whether a target holds.
func verdict(ok bool) string {
	if ok {
		return "meets target"
	}
	return "MISSES target"
}
