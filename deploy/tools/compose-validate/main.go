// Command compose-validate checks docker-compose.yml without a Docker engine. It loads the file
// with compose-go, the loader `docker compose` itself uses, so schema, interpolation and
// cross-references (depends_on, volumes, networks, profiles) are judged exactly as compose would.
// On top it enforces the house rules for compose (STYLE.md item 15): pinned image tags, a
// healthcheck on every service, depends_on waiting for health, and — for the application
// services (label ordersystem.app=true) — a read-only root filesystem, cap_drop ALL and a
// non-root user. Any "variable is not set" warning fails the run: the file must work without a .env.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
)

// warnings collects compose-go's logrus warnings (unset variables, deprecated keys).
type warnings struct{ messages []string }

func (w *warnings) Levels() []logrus.Level {
	return []logrus.Level{logrus.WarnLevel, logrus.ErrorLevel}
}
func (w *warnings) Fire(e *logrus.Entry) error {
	w.messages = append(w.messages, e.Message)
	return nil
}

func main() {
	profiles := flag.String("profiles", "", "comma-separated profiles to enable ('*' = all, empty = default set)")
	envFile := flag.String("env-file", "", "env file to interpolate with (default: none, only ${VAR:-default} values)")
	printEnv := flag.String("print-env", "", "write the resolved environment of the application services (label ordersystem.app=true) as JSON to this file")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: compose-validate [-profiles p1,p2|*] [-env-file f] docker-compose.yml")
		os.Exit(2)
	}
	hook := &warnings{}
	logrus.AddHook(hook)
	logrus.SetOutput(io.Discard)

	opts := []cli.ProjectOptionsFn{cli.WithName("ordersystem")}
	if *profiles != "" {
		opts = append(opts, cli.WithProfiles(strings.Split(*profiles, ",")))
	}
	if *envFile != "" {
		opts = append(opts, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
	}
	options, err := cli.NewProjectOptions(flag.Args(), opts...)
	if err == nil {
		var project *types.Project
		project, err = options.LoadProject(context.Background())
		if err == nil {
			problems := append(hook.messages, houseRules(project)...)
			report(project, *profiles, problems)
			if *printEnv != "" {
				if err := writeEnv(project, *printEnv); err != nil {
					fmt.Fprintf(os.Stderr, "compose-validate: %v\n", err)
					os.Exit(1)
				}
			}
			if len(problems) > 0 {
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "compose-validate: %v\n", err)
	os.Exit(1)
}

func report(p *types.Project, profiles string, problems []string) {
	names := p.ServiceNames()
	sort.Strings(names)
	fmt.Printf("compose-validate: profiles=%q -> %d services: %s\n", profiles, len(names), strings.Join(names, " "))
	for _, m := range problems {
		fmt.Fprintf(os.Stderr, "  problem: %s\n", m)
	}
}

// houseRules returns one line per violated rule.
func houseRules(p *types.Project) []string {
	var out []string
	for name, s := range p.Services {
		bad := func(format string, args ...any) { out = append(out, name+": "+fmt.Sprintf(format, args...)) }
		if s.Build == nil && !pinned(s.Image) {
			bad("image %q is not pinned to a version tag", s.Image)
		}
		if s.HealthCheck == nil || s.HealthCheck.Disable || len(s.HealthCheck.Test) == 0 {
			// An exemption must say why (e.g. a FROM scratch image with nothing to probe with).
			if strings.TrimSpace(s.Labels["ordersystem.healthcheck-exempt"]) == "" {
				bad("has no healthcheck (or label ordersystem.healthcheck-exempt with the reason)")
			}
		}
		for dep, d := range s.DependsOn {
			if d.Condition != types.ServiceConditionHealthy && d.Condition != types.ServiceConditionCompletedSuccessfully {
				bad("depends_on %s with condition %q (want service_healthy)", dep, d.Condition)
			}
		}
		if s.Labels["ordersystem.app"] == "true" {
			if !s.ReadOnly {
				bad("application service without read_only: true")
			}
			if !contains(s.CapDrop, "ALL") {
				bad("application service without cap_drop: [ALL]")
			}
			if s.User == "" || strings.HasPrefix(s.User, "0") || strings.HasPrefix(s.User, "root") {
				bad("application service without a non-root user")
			}
		}
	}
	sort.Strings(out)
	return out
}

func pinned(image string) bool {
	ref := image
	if i := strings.LastIndex(ref, "@sha256:"); i >= 0 {
		return true
	}
	slash := strings.LastIndex(ref, "/")
	colon := strings.LastIndex(ref, ":")
	if colon <= slash {
		return false
	}
	tag := ref[colon+1:]
	return tag != "" && tag != "latest" && strings.ContainsAny(tag, "0123456789")
}

func contains(list []string, want string) bool {
	for _, v := range list {
		if strings.EqualFold(v, want) {
			return true
		}
	}
	return false
}

// writeEnv dumps {service: {VAR: value}} for the application services, so the services' own
// config loaders can be run against exactly what compose would give them.
func writeEnv(p *types.Project, file string) error {
	out := map[string]map[string]string{}
	for name, s := range p.Services {
		if s.Labels["ordersystem.app"] != "true" {
			continue
		}
		env := map[string]string{}
		for k, v := range s.Environment {
			if v != nil {
				env[k] = *v
			}
		}
		out[name] = env
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o644)
}
