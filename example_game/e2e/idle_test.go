package e2e_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clockTicks is Linux's USER_HZ, the unit of utime and stime in
// /proc/PID/stat.
const clockTicks = 100

// measureWindow is how long the idle drivers measure CPU: 1 s under
// -short, 5 s otherwise, or STEAMGS_IDLE_WINDOW (a duration, such as 20s).
func measureWindow(t *testing.T) time.Duration {
	if v := os.Getenv("STEAMGS_IDLE_WINDOW"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(t, err, "STEAMGS_IDLE_WINDOW")
		return d
	}
	if testing.Short() {
		return time.Second
	}
	return 5 * time.Second
}

// usage is a process's CPU time and resident memory.
type usage struct {
	cpu time.Duration // utime + stime
	rss int64         // bytes
}

// readUsage reads the usage of process pid from /proc.
func readUsage(pid int) (usage, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return usage{}, err
	}
	// The fields after the command name, which is in parentheses.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return usage{}, fmt.Errorf("/proc/%d/stat has %d fields after the name", pid, len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return usage{}, fmt.Errorf("/proc/%d/stat: utime %q, stime %q", pid, f[11], f[12])
	}
	u := usage{cpu: time.Duration(utime+stime) * time.Second / clockTicks}
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return usage{}, err
	}
	for _, line := range strings.Split(string(st), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return usage{}, fmt.Errorf("/proc/%d/status: VmRSS %q", pid, rest)
			}
			u.rss = kb << 10
		}
	}
	return u, nil
}

// idleCost measures the CPU share of a core that process pid uses over
// window, and its RSS at the end.
func idleCost(t *testing.T, pid int, window time.Duration) (cpuPercent float64, rss int64) {
	t.Helper()
	before, err := readUsage(pid)
	require.NoError(t, err)
	start := time.Now()
	time.Sleep(window)
	after, err := readUsage(pid)
	require.NoError(t, err)
	return 100 * float64(after.cpu-before.cpu) / float64(time.Since(start)), after.rss
}

// startEnv starts bin with args and more environment variables
// (NAME=value); the process is killed at the end of the test if it is still
// running.
func startEnv(t *testing.T, name, bin string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, cmd: exec.Command(bin, args...), done: make(chan struct{})}
	if env != nil {
		p.cmd.Env = append(os.Environ(), env...)
	}
	stderr, err := p.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.mu.Unlock()
		}
		_, _ = io.Copy(io.Discard, stderr)
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
			assert.Fail(t, name+" was still running at the end of the test")
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", name, strings.Join(p.output(), "\n"))
		}
	})
	return p
}

// loggedOn waits until the dedicated server p logged "logged on to Steam".
func loggedOn(t *testing.T, p *proc) {
	t.Helper()
	eventually(t, 30*time.Second, func() string {
		for _, r := range p.records() {
			if r["msg"] == "logged on to Steam" {
				return ""
			}
		}
		return p.name + " did not log on"
	})
}

// TestIdleCost runs empty dedicated servers at 30, 60 and 120 ticks/s,
// with and without hibernation, and reports the share of a core each uses
// and its RSS (numbers for the record, not assertions: they depend on the
// machine). STEAMGS_IDLE_WINDOW sets the measuring window and
// STEAMGS_IDLE_RUNS how many times each server is started and measured
// (1 by default); with several runs it reports each and their median.
func TestIdleCost(t *testing.T) {
	bins := build(t, "dedicated")
	window := measureWindow(t)
	runs := envCount(t, "STEAMGS_IDLE_RUNS", 1, 1)
	type setting struct {
		rate      int
		hibernate string
		cpu       []float64
		rss       []int64
	}
	var settings []*setting
	for _, rate := range []int{30, 60, 120} {
		for _, h := range []string{"0", "1s"} {
			settings = append(settings, &setting{rate: rate, hibernate: h})
		}
	}
	for run := range runs {
		procs := make([]*proc, len(settings))
		for i, st := range settings {
			procs[i] = start(t, fmt.Sprintf("dedicated-%d-%s-run%d", st.rate, st.hibernate, run), bins["dedicated"],
				"-ip", "127.0.0.1", "-port", "0", "-tick-rate", strconv.Itoa(st.rate), "-hibernate", st.hibernate,
				"-log-format", "json", "-status-interval", "0")
		}
		for _, p := range procs {
			loggedOn(t, p)
		}
		time.Sleep(time.Second) // past the start-up work
		var wg sync.WaitGroup
		for i, st := range settings {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cpu, rss := idleCost(t, procs[i].cmd.Process.Pid, window)
				st.cpu, st.rss = append(st.cpu, cpu), append(st.rss, rss)
			}()
		}
		wg.Wait()
		for _, p := range procs {
			require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
			assert.Equal(t, 0, p.wait(t, 20*time.Second), "%s's exit code", p.name)
		}
	}
	var rows []string
	for _, st := range settings {
		each := make([]string, len(st.cpu))
		for i, c := range st.cpu {
			each[i] = fmt.Sprintf("%.3f%%", c)
		}
		rows = append(rows, fmt.Sprintf("%3d ticks/s  hibernate %-3s  cpu median %6.3f%% of a core (runs %s)  rss median %5.1f MiB",
			st.rate, st.hibernate, median(st.cpu), strings.Join(each, " "), float64(median(st.rss))/(1<<20)))
	}
	t.Logf("idle cost over %v, %d run(s):\n%s", window, runs, strings.Join(rows, "\n"))
}

// median returns the median of v (the upper one of an even count).
func median[T int64 | float64](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestFleetScale runs N dedicated servers (20, 4 under -short, or
// STEAMGS_SCALE_N), each under a fake sidecar of its own: all reach Ready;
// it reports each one's RSS and idle CPU, and then SIGTERM shuts each down
// through its sidecar with exit code 0.
func TestFleetScale(t *testing.T) {
	n := 20
	if testing.Short() {
		n = 4
	}
	if v := os.Getenv("STEAMGS_SCALE_N"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err, "STEAMGS_SCALE_N")
	}
	bins := build(t, "dedicated")
	window := measureWindow(t)
	sidecars := make([]*agonestest.Sidecar, n)
	procs := make([]*proc, n)
	for i := range n {
		sidecars[i] = agonestest.Start(t, agonestest.Options{Name: fmt.Sprintf("gs-%d", i),
			Ports: []agonestest.Port{{Name: "default", Port: int32(7000 + i)}}})
		procs[i] = startEnv(t, fmt.Sprintf("dedicated-%d", i), bins["dedicated"], []string{"AGONES_SDK_HTTP_PORT=" + sidecars[i].Port()},
			"-ip", "127.0.0.1", "-port", "0", "-log-format", "json", "-status-interval", "0")
	}
	for i, s := range sidecars {
		eventually(t, 60*time.Second, func() string {
			if st := s.State(); st != "Ready" {
				return fmt.Sprintf("server %d is %s", i, st)
			}
			return ""
		})
	}
	time.Sleep(time.Second)
	rows := make([]string, n)
	var wg sync.WaitGroup
	for i, p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cpu, rss := idleCost(t, p.cmd.Process.Pid, window)
			rows[i] = fmt.Sprintf("%-8s %-6s cpu %6.3f%%  rss %5.1f MiB  pings %d", sidecars[i].State(), fmt.Sprint(i), cpu, float64(rss)/(1<<20), sidecars[i].Pings())
		}()
	}
	wg.Wait()
	t.Logf("%d servers, idle over %v:\n%s", n, window, strings.Join(rows, "\n"))
	for _, p := range procs {
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	}
	for i, p := range procs {
		assert.Equal(t, 0, p.wait(t, 30*time.Second), "%s's exit code", p.name)
		assert.Equal(t, "Shutdown", sidecars[i].State(), "server %d", i)
	}
}
