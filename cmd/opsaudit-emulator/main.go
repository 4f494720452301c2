// Command opsaudit-emulator serves the local cloud emulator (Huawei IAM,
// Workspace and SecMaster, Alibaba OOS) on a loopback address until it gets
// SIGINT or SIGTERM. `make demo` points the provider at it.
//
// The generated data ends when the emulator starts (-now pins that
// instant), so queries over the last hours or days find records. The
// banner prints the export lines that point the provider at the emulator,
// and for each API the time range of its data and a few values of every
// filter argument.
//
// Usage:
//
//	opsaudit-emulator [-addr 127.0.0.1:8787] [-fixture FILE | -seed N -now TIME -script-records N ...]
//	                  [-latency D] [-throttle-every N [-throttle-limit S]] [-error-every N] [-rate N]
//	                  [-huawei-security-token T] [-ali-security-token T]
//	                  [-url-file FILE] [-write-fixture FILE] [-credential-lifetime D]
//	                  [-tls-addr 127.0.0.1:8788 [-ca-file FILE]]
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
	"strconv"
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
	var (
		addr         = fs.String("addr", "127.0.0.1:8787", "listen address; must be loopback (127.0.0.1, ::1, localhost)")
		fixture      = fs.String("fixture", "", "serve the dataset in this JSON file instead of generating one")
		seed         = fs.Int64("seed", emulator.DefaultSeed, "seed of the generated dataset")
		nowFlag      = fs.String("now", "", "RFC 3339 instant the generated data ends at (default: when the emulator starts), e.g. "+emulator.DataEnd.Format(time.RFC3339)+" as in the tests")
		latency      = fs.Duration("latency", 0, "latency added to every request (not IAM)")
		throttle     = fs.Int("throttle-every", 0, "throttle every Nth request per API (0: never)")
		throttleLim  = fs.String("throttle-limit", "", `the limit Huawei's answers to -throttle-every state, e.g. "limit:1,time:1 hour" (default "limit:20, time:1 second")`)
		rateLimit    = fs.Int("rate", 0, "a gateway rate limit: N requests per second per API for all clients together, burst N (0: none)")
		errEvery     = fs.Int("error-every", 0, "answer every Mth request per API with a server error (0: never)")
		fault        = fs.String("fault", "", "answer as a broken or hostile server would: "+hostileList()+" (internal/emulator/hostile.go)")
		hwToken      = fs.String("huawei-security-token", "", "require this Huawei X-Security-Token (temporary credentials)")
		aliToken     = fs.String("ali-security-token", "", "require this Alibaba x-acs-security-token (STS credentials)")
		writeFixture = fs.String("write-fixture", "", "write the generated dataset to this file and exit")
		urlFile      = fs.String("url-file", "", "write the base URL to this file once listening")
		printIDToken = fs.Bool("print-id-token", false, "print an OIDC id token of the emulator's identity provider, valid for an hour, and exit")
		credLife     = fs.Duration("credential-lifetime", 0, "cap the life of the temporary credentials the credential services issue (0: as asked)")
		tlsAddr      = fs.String("tls-addr", "", "also serve HTTPS on this loopback address (e.g. 127.0.0.1:8788), with a certificate of a CA made at start and printed in the banner (for clients that insist on HTTPS, such as credentials-go's STS calls)")
		caFile       = fs.String("ca-file", "", "with -tls-addr, also write the CA's certificate (PEM) to this file")
	)
	// One flag per size of each API's generated data (-script-records,
	// -events, ...).
	sizes := map[string]*int{}
	for _, f := range emulator.SizeFlags() {
		sizes[f.Name] = fs.Int(f.Name, f.Default, f.Usage)
	}
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
	counts := map[string]int{"throttle-every": *throttle, "error-every": *errEvery, "rate": *rateLimit}
	for name, v := range sizes {
		counts[name] = *v
	}
	for name, v := range counts {
		if v < 0 {
			fmt.Fprintf(stderr, "opsaudit-emulator: -%s must not be negative\n", name)
			return 2
		}
	}

	end := time.Now()
	endNote := "the emulator's start; -now pins it"
	if *nowFlag != "" {
		if *fixture != "" {
			fmt.Fprintln(stderr, "opsaudit-emulator: -now applies to generated data; a -fixture has its own times")
			return 2
		}
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			fmt.Fprintf(stderr, "opsaudit-emulator: -now %q is not an RFC 3339 time such as %s\n", *nowFlag, emulator.DataEnd.Format(time.RFC3339))
			return 2
		}
		end, endNote = t, "-now"
	}

	var data *emulator.Dataset
	origin := "fixture " + *fixture
	if *fixture != "" {
		d, err := emulator.LoadFixture(*fixture)
		if err != nil {
			fmt.Fprintln(stderr, "opsaudit-emulator:", err)
			return 1
		}
		data = d
	} else {
		sz := emulator.Sizes{}
		for name, v := range sizes {
			sz[name] = *v
		}
		data = emulator.GenerateAt(*seed, sz, end)
		origin = fmt.Sprintf("generated with -seed %d, ending at %s (%s)", *seed, end.UTC().Truncate(time.Second).Format(time.RFC3339), endNote)
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
		Faults:              withThrottleLimit(withRate(faults(*latency, *throttle, *errEvery, emulator.Hostile(*fault)), *rateLimit), *throttleLim),
		CredentialLifetime:  *credLife,
		TLSAddr:             *tlsAddr,
	})
	if err != nil {
		fmt.Fprintln(stderr, "opsaudit-emulator:", err)
		return 1
	}
	defer srv.Close()
	if *caFile != "" {
		if srv.CA() == nil {
			fmt.Fprintln(stderr, "opsaudit-emulator: -ca-file needs -tls-addr")
			return 2
		}
		if err := writeAtomic(*caFile, string(srv.CA().CertPEM())); err != nil {
			fmt.Fprintln(stderr, "opsaudit-emulator:", err)
			return 1
		}
	}
	if *urlFile != "" {
		if err := writeAtomic(*urlFile, srv.URL()+"\n"); err != nil {
			fmt.Fprintln(stderr, "opsaudit-emulator:", err)
			return 1
		}
	}
	banner(stdout, srv, origin)
	<-ctx.Done()
	for _, f := range emulator.Fixtures() {
		if n := srv.Requests(f.API); n > 0 {
			fmt.Fprintf(stdout, "opsaudit-emulator: %s: %d requests, %d throttled\n", f.API, n, srv.Throttled(f.API))
		}
	}
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

// tokenFlags are the flags that set the secret variables of ProviderEnv.
var tokenFlags = map[string]string{
	"HW_SECURITY_TOKEN":            "-huawei-security-token",
	"ALIBABA_CLOUD_SECURITY_TOKEN": "-ali-security-token",
}

// bannerValues is how many values of a field the banner shows.
const bannerValues = 5

// banner prints what a user needs to point the provider at the emulator
// and to write queries that find its data. The credentials are the
// emulator's public demo values; security tokens given on the command
// line are not echoed.
func banner(w io.Writer, srv *emulator.Server, origin string) {
	d := srv.Data()
	u := srv.URL()
	fmt.Fprintf(w, "opsaudit-emulator listening on %s (all services)\n\n", u)
	fmt.Fprintf(w, "Point the provider at it: run these in the shell that runs terraform (demo credentials, public, emulator only):\n")
	for _, e := range srv.ProviderEnv(u) {
		v := e.Value
		if e.Secret {
			v = "<the value of " + tokenFlags[e.Name] + ">"
		}
		fmt.Fprintf(w, "  export %s=%s\n", e.Name, v)
	}
	if project := d.Projects[emulator.DemoRegionHuawei]; project != "" {
		fmt.Fprintf(w, "  # optional: export HW_PROJECT_ID=%s (unset, it is looked up through IAM)\n", project)
	}
	fmt.Fprintf(w, "\nCredential services (OIDC and assume-role flows; an id token: opsaudit-emulator -print-id-token):\n")
	fmt.Fprintf(w, "  Huawei  agency %s in domain %s; OIDC idp_id %s, domain_id %s\n",
		emulator.DemoHuaweiAgency, emulator.DemoHuaweiDomain, emulator.DemoHuaweiIdpID, emulator.DemoHuaweiDomainID)
	fmt.Fprintf(w, "  Alibaba role %s; OIDC provider %s;\n          ecs_role_name %s (endpoints.imds); credentials_uri %s%s\n",
		emulator.DemoAliRoleARN, emulator.DemoAliOIDCProviderARN, emulator.DemoAliECSRoleName, u, emulator.CredentialsURIPath)
	if srv.TLSURL() != "" {
		fmt.Fprintf(w, "\nHTTPS: the same services at %s, with a certificate of this CA, made for this run\n", srv.TLSURL())
		fmt.Fprintf(w, "(trust it: the provider's ca_cert_file, or SSL_CERT_FILE for a Go program such as credentials-go):\n%s", srv.CA().CertPEM())
	}
	fmt.Fprintf(w, "\nData: %s\n", origin)
	for _, a := range d.Summary() {
		fmt.Fprintf(w, "  %s: %d", a.Name, a.Items)
		if a.Earliest != "" {
			fmt.Fprintf(w, ", %s from %s to %s", a.TimeField, a.Earliest, a.Latest)
		}
		fmt.Fprintln(w)
		for _, f := range a.Fields {
			fmt.Fprintf(w, "    %-19s %s\n", f.Field, fewValues(f.Values))
		}
	}
	fmt.Fprintf(w, "\nStarted %s; stop with Ctrl-C.\n", time.Now().UTC().Format(time.RFC3339))
}

// fewValues quotes the first bannerValues values as HCL strings and says
// how many more there are.
func fewValues(vals []string) string {
	if len(vals) == 0 {
		return "(none)"
	}
	shown := make([]string, 0, bannerValues)
	for _, v := range vals[:min(len(vals), bannerValues)] {
		shown = append(shown, strconv.Quote(v))
	}
	out := strings.Join(shown, ", ")
	if more := len(vals) - len(shown); more > 0 {
		out += fmt.Sprintf(" and %d more", more)
	}
	return out
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

// withThrottleLimit adds the -throttle-limit statement to f.
func withThrottleLimit(f emulator.Faults, limit string) emulator.Faults {
	f.ThrottleLimit = limit
	return f
}

// withRate adds the -rate limit to f.
func withRate(f emulator.Faults, rate int) emulator.Faults {
	f.RateLimit = rate
	return f
}
