package cli

import (
	"flag"
	"fmt"
	"strings"
)

// EnvPrefix begins the name of the environment variable of every flag of a
// program that reads its flags from the environment too (see SetFromEnv).
const EnvPrefix = "STEAMGS_"

// EnvName returns the environment variable of the flag name: EnvPrefix and
// the name in upper case with '-' as '_', such as STEAMGS_MAX_PLAYERS for
// -max-players.
func EnvName(name string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// DescribeEnv adds the name of its environment variable to the usage text
// of every flag of fs, so that -h lists them. Call it after the flags are
// defined.
func DescribeEnv(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) { f.Usage += " (env " + EnvName(f.Name) + ")" })
}

// SetFromEnv sets each flag of fs that the command line did not set from
// its environment variable (EnvName), when lookup finds one: a flag given
// on the command line wins. Call it after fs.Parse; programs pass
// os.LookupEnv. An empty variable counts as set, to the empty value. The
// error names the variable, its value and the flag's complaint, and wraps
// ErrUsage.
func SetFromEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	given := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] {
			return
		}
		name := EnvName(f.Name)
		v, ok := lookup(name)
		if !ok {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = fmt.Errorf("cli: %s=%q for -%s: %v: %w", name, v, f.Name, e, ErrUsage)
		}
	})
	return err
}
