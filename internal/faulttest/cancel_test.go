package faulttest_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/secmaster"
)

// TestCLI_interruptStopsRequests: interrupting Terraform during a long
// paged read stops the provider's requests promptly. 9,950 audit logs
// (inside SecMaster's window of 9,999 a query) are 199 pages of 50; at
// 400 ms a request and 4 in flight the read would take 20 s. The interrupt comes once a dozen pages are in; then the requests
// in flight are abandoned, no new one is sent, Terraform exits with an
// error and nothing is written to the state.
//
// Two ways an interrupt reaches the provider, one subtest each:
//   - plan, SIGINT to Terraform alone (as a CI runner sends it): Terraform
//     calls StopProvider, which cancels the read's context;
//   - apply, SIGINT to the process group (as Ctrl-C in a terminal sends
//     it): Terraform does not call StopProvider while apply is still
//     planning, so the provider's own SIGINT handling (main.go,
//     provider.WithStop) is what stops the requests.
//
// The bounds are generous correctness bounds (a provider that kept reading
// would take 20 s and send 199 requests), not speed assertions.
func TestCLI_interruptStopsRequests(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		args  []string
		group bool
	}{
		{"plan, SIGINT to terraform", []string{"plan", "-input=false", "-no-color"}, false},
		{"apply, SIGINT to the process group", []string{"apply", "-auto-approve", "-input=false", "-no-color"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			interruptRead(t, tc.args, tc.group)
		})
	}
}

func interruptRead(t *testing.T, args []string, group bool) {
	data := emulator.Generate(3, emulator.Sizes{emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: 9950})
	srv := acctest.Emulator(t, emulator.Options{Data: data,
		Faults: emulator.Faults{APIs: []string{emulator.APIAuditLogs}, Latency: 400 * time.Millisecond}})
	w := newWorkdir(t, providerBlock(srv,
		[]string{fmt.Sprintf("access_key = %q", emulator.DemoHuaweiAccessKey), fmt.Sprintf("secret_key = %q", emulator.DemoHuaweiSecretKey)},
		nil, "max_parallel_requests = 4")+
		fmt.Sprintf("data %q \"all\" {\n  workspace_id = %q\n}\n", secmaster.PlaybookAuditLogsTypeName, emulator.WorkspaceID(1)))

	cmd := w.command(nil, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	// Its own process group, shared by the provider processes it starts,
	// as a terminal's foreground job.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done //nolint:errcheck // the process was killed; its exit status is not news
		}
	})

	// Wait until the read is well under way.
	deadline := time.Now().Add(60 * time.Second)
	for srv.Requests(emulator.APIAuditLogs) < 12 {
		select {
		case err := <-done:
			t.Fatalf("terraform ended before the interrupt: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d requests after 60 s\n%s", srv.Requests(emulator.APIAuditLogs), out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	pid := cmd.Process.Pid
	if group {
		pid = -pid
	}
	if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	interrupted := time.Now()

	// Terraform exits, with an error, well before the read could finish.
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() == 0 {
			t.Errorf("terraform exited with %v after the interrupt, want a non-zero exit\n%s", err, out.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("terraform still running 15 s after the interrupt\n%s", out.String())
	}
	exited := time.Since(interrupted)

	// No request is left in flight, and no new one arrives.
	for {
		recs := srv.Recorded(emulator.APIAuditLogs)
		if inFlight(recs) == 0 {
			break
		}
		if time.Since(interrupted) > 10*time.Second {
			t.Fatalf("%d requests still in flight 10 s after the interrupt", inFlight(recs))
		}
		time.Sleep(20 * time.Millisecond)
	}
	settledAfter := time.Since(interrupted)
	n := srv.Requests(emulator.APIAuditLogs)
	time.Sleep(time.Second)
	if m := srv.Requests(emulator.APIAuditLogs); m != n {
		t.Errorf("requests kept coming after the interrupt: %d, then %d a second later", n, m)
	}
	if n >= 400 {
		t.Errorf("%d requests: the read was not stopped", n)
	}
	if !strings.Contains(out.String(), "Unable to list SecMaster playbook audit logs") {
		t.Errorf("the output does not name the interrupted read:\n%s", out.String())
	}
	abandoned := statuses(srv.Recorded(emulator.APIAuditLogs))[emulator.StatusClientGone]
	t.Logf("terraform exited %s after the interrupt, requests settled after %s; %d requests in all, %d abandoned in flight",
		exited.Round(time.Millisecond), settledAfter.Round(time.Millisecond), n, abandoned)

	// The failed read left nothing in the state.
	if b, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate")); err == nil && strings.Contains(string(b), "audit_logs") {
		t.Errorf("the state holds audit logs after an interrupted read:\n%s", b)
	}
}
