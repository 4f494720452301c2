// Command opsaudit-emulator serves the local cloud emulator (Huawei IAM,
// Workspace and SecMaster, Alibaba OOS) on a loopback address until it gets
// SIGINT or SIGTERM. `make demo` points the provider at it.
//
// Usage:
//
//	opsaudit-emulator [-addr 127.0.0.1:8787] [-fixture FILE | -seed N -script-records N ...]
//	                  [-latency D] [-throttle-every N] [-error-every N]
//	                  [-huawei-security-token T] [-ali-security-token T]
//	                  [-url-file FILE] [-write-fixture FILE] [-credential-lifetime D]
//	opsaudit-emulator -print-id-token
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: it returns the exit code and serves
// until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("opsaudit-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := emulator.DefaultSizes()
	var (
		addr         = fs.String("addr", "127.0.0.1:8787", "listen address; must be loopback (127.0.0.1, ::1, localhost)")
		fixture      = fs.String("fixture", "", "serve the dataset in this JSON file instead of generating one")
		seed         = fs.Int64("seed", emulator.DefaultSeed, "seed of the generated dataset")
		records      = fs.Int("script-records", def.ScriptRecords, "generated Workspace script execution records")
		screens      = fs.Int("screen-records", def.ScreenRecords, "generated screen records")
		events       = fs.Int("events", def.EventsPerScreenRecord, "generated key desktop events per screen record")
		workspaces   = fs.Int("workspaces", def.Workspaces, "generated SecMaster workspaces")
		auditLogs    = fs.Int("audit-logs", def.AuditLogsPerWorkspace, "generated playbook audit logs per workspace")
		executions   = fs.Int("executions", def.Executions, "generated OOS executions")
		logs         = fs.Int("logs", def.LogsPerExecution, "generated OOS logs per execution")
		latency      = fs.Duration("latency", 0, "latency added to every request (not IAM)")
		throttle     = fs.Int("throttle-every", 0, "throttle every Nth request per API (0: never)")
		errEvery     = fs.Int("error-every", 0, "answer every Mth request per API with a server error (0: never)")
		fault        = fs.String("fault", "", "answer as a broken or hostile server would: "+hostileList()+" (internal/emulator/hostile.go)")
		hwToken      = fs.String("huawei-security-token", "", "require this Huawei X-Security-Token (temporary credentials)")
		aliToken     = fs.String("ali-security-token", "", "require this Alibaba x-acs-security-token (STS credentials)")
		writeFixture = fs.String("write-fixture", "", "write the generated dataset to this file and exit")
		urlFile      = fs.String("url-file", "", "write the base URL to this file once listening")
		printIDToken = fs.Bool("print-id-token", false, "print an OIDC id token of the emulator's identity provider, valid for an hour, and exit")
		credLife     = fs.Duration("credential-lifetime", 0, "cap the life of the temporary credentials the credential services issue (0: as asked)")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "opsaudit-emulator: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *printIDToken {
		tok, err := emulator.IDToken("opsaudit-emulator-cli", time.Hour)
		if err != nil {
			fmt.Fprintln(stderr, "opsaudit-emulator:", err)
			return 1
		}
		fmt.Fprintln(stdout, tok)
		return 0
	}
	if *fault != "" && !slices.Contains(emulator.HostileModes(), emulator.Hostile(*fault)) {
		fmt.Fprintf(stderr, "opsaudit-emulator: -fault %q is not one of %s\n", *fault, hostileList())
		return 2
	}
	if err := emulator.CheckLoopback(*addr); err != nil {
		fmt.Fprintln(stderr, "opsaudit-emulator:", err)
		return 2
	}
	for name, v := range map[string]int{"script-records": *records, "screen-records": *screens, "events": *events,
		"workspaces": *workspaces, "audit-logs": *auditLogs, "executions": *executions, "logs": *logs,
		"throttle-every": *throttle, "error-every": *errEvery} {
		if v < 0 {
			fmt.Fprintf(stderr, "opsaudit-emulator: -%s must not be negative\n", name)
			return 2
		}
	}

	var data *emulator.Dataset
	if *fixture != "" {
		d, err := emulator.LoadFixture(*fixture)
		if err != nil {
			fmt.Fprintln(stderr, "opsaudit-emulator:", err)
			return 1
		}
		data = d
	} else {
		data = emulator.Generate(*seed, emulator.Sizes{
			ScriptRecords: *records, ScreenRecords: *screens, EventsPerScreenRecord: *events,
			Workspaces: *workspaces, AuditLogsPerWorkspace: *auditLogs, Executions: *executions, LogsPerExecution: *logs,
		})
	}
	if *writeFixture != "" {
		if err := data.WriteFixture(*writeFixture); err != nil {
			fmt.Fprintln(stderr, "opsaudit-emulator:", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote dataset to %s\n", *writeFixture)
		return 0
	}

	srv, err := emulator.StartAt(*addr, emulator.Options{
		HuaweiSecurityToken: *hwToken,
		AliSecurityToken:    *aliToken,
		Data:                data,
		Faults:              faults(*latency, *throttle, *errEvery, emulator.Hostile(*fault)),
		CredentialLifetime:  *credLife,
	})
	if err != nil {
		fmt.Fprintln(stderr, "opsaudit-emulator:", err)
		return 1
	}
	defer srv.Close()
	if *urlFile != "" {
		if err := writeAtomic(*urlFile, srv.URL()+"\n"); err != nil {
			fmt.Fprintln(stderr, "opsaudit-emulator:", err)
			return 1
		}
	}
	banner(stdout, srv, *hwToken, *aliToken)
	<-ctx.Done()
	fmt.Fprintln(stdout, "opsaudit-emulator: stopped")
	return 0
}

// writeAtomic writes content so that a reader never sees a partial file.
func writeAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".url-*")
	if err != nil {
		return fmt.Errorf("write url file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write url file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write url file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write url file: %w", err)
	}
	return nil
}

func firstKey[V any](m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		return "(none)"
	}
	return keys[0]
}

// banner prints what a user needs to point the provider at the emulator.
// The credentials are the emulator's public demo values.
func banner(w io.Writer, srv *emulator.Server, hwToken, aliToken string) {
	d := srv.Data()
	u := srv.URL()
	project := d.Projects[emulator.DemoRegionHuawei]
	fmt.Fprintf(w, "opsaudit-emulator listening on %s (all services)\n\n", u)
	fmt.Fprintf(w, "Demo credentials (public, emulator only):\n")
	fmt.Fprintf(w, "  Huawei  AK %s  SK %s  region %s  project %s\n", emulator.DemoHuaweiAccessKey, emulator.DemoHuaweiSecretKey, emulator.DemoRegionHuawei, project)
	fmt.Fprintf(w, "  Alibaba AK %s  SK %s  region %s\n\n", emulator.DemoAliAccessKey, emulator.DemoAliSecretKey, emulator.DemoRegionAli)
	fmt.Fprintf(w, "Environment for the provider:\n")
	fmt.Fprintf(w, "  export HW_ACCESS_KEY=%s\n", emulator.DemoHuaweiAccessKey)
	fmt.Fprintf(w, "  export HW_SECRET_KEY=%s\n", emulator.DemoHuaweiSecretKey)
	fmt.Fprintf(w, "  export HW_REGION_NAME=%s\n", emulator.DemoRegionHuawei)
	if hwToken != "" {
		fmt.Fprintf(w, "  export HW_SECURITY_TOKEN=<the -huawei-security-token value>\n")
	}
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_ID=%s\n", emulator.DemoAliAccessKey)
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n", emulator.DemoAliSecretKey)
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_REGION=%s\n", emulator.DemoRegionAli)
	if aliToken != "" {
		fmt.Fprintf(w, "  export ALIBABA_CLOUD_SECURITY_TOKEN=<the -ali-security-token value>\n")
	}
	fmt.Fprintf(w, "  # optional: export HW_PROJECT_ID=%s (unset, it is looked up through IAM)\n\n", project)
	fmt.Fprintf(w, "Endpoints (provider configuration):\n")
	fmt.Fprintf(w, "  huaweicloud { endpoints = { iam = %q, workspace = %q, secmaster = %q } }\n", u, u, u)
	fmt.Fprintf(w, "  alicloud    { endpoints = { oos = %q } }\n\n", u)
	fmt.Fprintf(w, "Existing ids: screen record %s, workspace %s, execution %s\n",
		firstKey(d.ScreenRecords), firstKey(d.Workspaces), firstKey(d.Executions))
	fmt.Fprintf(w, "Dataset: %d script records, %d screen records, %d workspaces, %d executions\n",
		len(d.ScriptRecords), len(d.ScreenRecords), len(d.Workspaces), len(d.Executions))
	fmt.Fprintf(w, "Started %s; stop with Ctrl-C.\n", time.Now().UTC().Format(time.RFC3339))
}

// hostileList lists the -fault values.
func hostileList() string {
	var names []string
	for _, h := range emulator.HostileModes() {
		names = append(names, string(h))
	}
	return strings.Join(names, ", ")
}

// faults are the faults the flags ask for; iam-path-project concerns IAM
// alone, which the other faults leave out.
func faults(latency time.Duration, throttle, errEvery int, h emulator.Hostile) emulator.Faults {
	f := emulator.Faults{Latency: latency, ThrottleEvery: throttle, ServerErrorEvery: errEvery, Hostile: h}
	if h == emulator.HostileIAMProject {
		f.APIs = []string{emulator.APIIAM}
	}
	return f
}
