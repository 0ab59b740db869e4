package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/internal/testio"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// deployDir holds the example's Dockerfile and Agones manifests.
const deployDir = "../../deploy"

// envNames returns the environment variable of every flag of the
// dedicated server, from its -h text.
func envNames(t *testing.T) map[string]bool {
	t.Helper()
	var out testio.SyncBuffer
	require.Equal(t, exitOK, run(context.Background(), []string{"-h"}, noEnv, &out, &out))
	names := make(map[string]bool)
	for _, m := range regexp.MustCompile(`\(env (STEAMGS_[A-Z0-9_]+)\)`).FindAllStringSubmatch(out.String(), -1) {
		names[m[1]] = true
	}
	require.Contains(t, names, cli.EnvName("agones-port"), "-h text:\n%s", out.String())
	return names
}

type fleetManifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Replicas int `yaml:"replicas"`
		Template struct {
			Spec struct {
				Ports []struct {
					Name          string `yaml:"name"`
					PortPolicy    string `yaml:"portPolicy"`
					ContainerPort int    `yaml:"containerPort"`
					Protocol      string `yaml:"protocol"`
				} `yaml:"ports"`
				Health struct {
					Disabled            bool `yaml:"disabled"`
					InitialDelaySeconds int  `yaml:"initialDelaySeconds"`
					PeriodSeconds       int  `yaml:"periodSeconds"`
					FailureThreshold    int  `yaml:"failureThreshold"`
				} `yaml:"health"`
				Lists map[string]struct {
					Capacity int `yaml:"capacity"`
				} `yaml:"lists"`
				Template struct {
					Spec struct {
						TerminationGracePeriodSeconds int `yaml:"terminationGracePeriodSeconds"`
						Containers                    []struct {
							Name  string   `yaml:"name"`
							Image string   `yaml:"image"`
							Args  []string `yaml:"args"`
							// Ports and Resources are read, not checked.
							Ports     []map[string]any `yaml:"ports"`
							Resources map[string]any   `yaml:"resources"`
							Env       []struct {
								Name  string `yaml:"name"`
								Value string `yaml:"value"`
							} `yaml:"env"`
						} `yaml:"containers"`
					} `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

func readYAML(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(deployDir, name))
	require.NoError(t, err)
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(v), name)
}

// The Fleet's environment names only flags the server has, with values it
// accepts, and agrees with the GameServer spec: the port name, the players
// list and its capacity, health.
func TestFleetManifest(t *testing.T) {
	var f fleetManifest
	readYAML(t, "fleet.yaml", &f)
	assert.Equal(t, "agones.dev/v1", f.APIVersion)
	assert.Equal(t, "Fleet", f.Kind)
	gs := f.Spec.Template.Spec
	require.Len(t, gs.Ports, 1)
	port := gs.Ports[0]
	assert.Equal(t, "UDP", port.Protocol)
	assert.Equal(t, "Dynamic", port.PortPolicy)
	assert.False(t, gs.Health.Disabled)
	assert.Positive(t, gs.Health.PeriodSeconds)
	require.Len(t, gs.Template.Spec.Containers, 1)
	c := gs.Template.Spec.Containers[0]
	assert.Empty(t, c.Args, "flags come from the environment")
	assert.LessOrEqual(t, gs.Template.Spec.TerminationGracePeriodSeconds, 60)
	assert.Greater(t, float64(gs.Template.Spec.TerminationGracePeriodSeconds), shutdownWait.Seconds(), "grace period vs the server's wait for Shutdown")

	known := envNames(t)
	env := make(map[string]string)
	var args []string
	for _, e := range c.Env {
		assert.True(t, known[e.Name], "%s is not the variable of a flag of the dedicated server", e.Name)
		env[e.Name] = e.Value
		args = append(args, "-"+strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(e.Name, cli.EnvPrefix), "_", "-")), e.Value)
	}
	assert.Equal(t, port.Name, env[cli.EnvName("agones-port")], "STEAMGS_AGONES_PORT names the Fleet's port")
	assert.Equal(t, strconv.Itoa(port.ContainerPort), env[cli.EnvName("port")], "the server binds the container port")
	list := env[cli.EnvName("agones-list")]
	require.Contains(t, gs.Lists, list, "the players list is declared")
	assert.Equal(t, env[cli.EnvName("max-players")], strconv.Itoa(gs.Lists[list].Capacity), "list capacity is -max-players")

	// Every value parses: with an extra argument run gets past the flags
	// and stops at the argument.
	var out testio.SyncBuffer
	assert.Equal(t, exitUsage, run(context.Background(), append(args, "extra"), noEnv, &out, &out))
	assert.Contains(t, out.String(), `unexpected arguments ["extra"]`, "flags %q", args)
	var ff fleetFlags
	ff.port, ff.list, ff.wait = env[cli.EnvName("agones-port")], list, time.Second
	ff.whenEmpty = env[cli.EnvName("agones-when-empty")]
	assert.NoError(t, ff.check())
}

type autoscalerManifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		FleetName string `yaml:"fleetName"`
		Policy    struct {
			Type   string `yaml:"type"`
			Buffer struct {
				BufferSize  int `yaml:"bufferSize"`
				MinReplicas int `yaml:"minReplicas"`
				MaxReplicas int `yaml:"maxReplicas"`
			} `yaml:"buffer"`
		} `yaml:"policy"`
	} `yaml:"spec"`
}

func TestFleetAutoscalerManifest(t *testing.T) {
	var f fleetManifest
	readYAML(t, "fleet.yaml", &f)
	var a autoscalerManifest
	readYAML(t, "fleetautoscaler.yaml", &a)
	assert.Equal(t, "autoscaling.agones.dev/v1", a.APIVersion)
	assert.Equal(t, "FleetAutoscaler", a.Kind)
	assert.Equal(t, f.Metadata.Name, a.Spec.FleetName)
	assert.Equal(t, "Buffer", a.Spec.Policy.Type)
	b := a.Spec.Policy.Buffer
	assert.Positive(t, b.BufferSize)
	assert.LessOrEqual(t, b.MinReplicas, f.Spec.Replicas)
	assert.Less(t, b.MinReplicas, b.MaxReplicas)
	assert.GreaterOrEqual(t, b.MinReplicas, b.BufferSize)
}

// The Dockerfile has the two targets, builds the static binary, and names
// only variables of the server's flags.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir, "Dockerfile"))
	require.NoError(t, err)
	text := string(b)
	for _, want := range []string{
		"FROM scratch AS scratch",
		"FROM debian:bookworm-slim AS steamworks",
		"CGO_ENABLED=0 go build",
		"./example_game/cmd/dedicated",
		`ENTRYPOINT ["/dedicated"]`,
		`ENTRYPOINT ["/opt/coin-arena/dedicated"]`,
		"COPY --from=steamlibs libsteam_api.so",
		"steamclient.so /home/steam/.steam/sdk64/steamclient.so",
		"EXPOSE 27015/udp",
	} {
		assert.Contains(t, text, want)
	}
	known := envNames(t)
	for _, m := range regexp.MustCompile(`\b(STEAMGS_[A-Z0-9_]+)=(\S+)`).FindAllStringSubmatch(text, -1) {
		assert.True(t, known[m[1]], "%s is not the variable of a flag", m[1])
	}
	assert.Contains(t, text, cli.EnvName("backend")+"=local")
	assert.Contains(t, text, cli.EnvName("backend")+"=steamworks")
	assert.Contains(t, text, cli.EnvName("steam-lib")+"=/opt/coin-arena/libsteam_api.so")
	ignore, err := os.ReadFile(filepath.Join(deployDir, "Dockerfile.dockerignore"))
	require.NoError(t, err)
	assert.Contains(t, string(ignore), "**/*.so", "Steam's libraries stay out of the build context")
	matches, err := filepath.Glob(filepath.Join(deployDir, "*.so*"))
	require.NoError(t, err)
	assert.Empty(t, matches, "no Steam library in the repository")
}
