package fips

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// 64 goroutines x 1000 calls, mixing verdicts, errors and policies: every result equals the
// one computed alone. Errors check that fips_last_error() (per thread) is read on the thread
// of its call, even as goroutines move between threads. Run it with -race.
func TestConcurrentCallsAgree(t *testing.T) {
	const goroutines, calls = 64, 1000
	policy, err := DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	defer policy.Close()
	nonCompliant := []string{"create", "cluster", "aws", "--kubernetes-version=1.22.8", "--etcd-version=3.4.13+fips.0"}
	wantOK, _ := ValidateArgs(nil, documentedArgs)
	wantNot, _ := ValidateArgs(policy, nonCompliant)
	_, wantLossy := TagToVersion("v1_2_3")
	_, wantVersion := ParseVersion("1.22", Etcd)
	wantAudit, _ := AuditUpdate(policy, []byte(auditManifest), []byte(auditManifest))
	if wantOK == nil || !wantOK.Compliant || wantNot == nil || wantNot.Compliant || wantLossy == nil || wantVersion == nil ||
		wantAudit == nil || !wantAudit.Compliant {
		t.Fatal("reference results are wrong")
	}

	var wg sync.WaitGroup
	failures := make(chan string, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				var bad string
				switch (g + i) % 6 {
				case 0:
					if got, err := ValidateArgs(nil, documentedArgs); err != nil || !reflect.DeepEqual(got, wantOK) {
						bad = fmt.Sprintf("compliant: %+v %v", got, err)
					}
				case 1:
					if got, err := ValidateArgs(policy, nonCompliant); err != nil || !reflect.DeepEqual(got, wantNot) {
						bad = fmt.Sprintf("not compliant: %+v %v", got, err)
					}
				case 2:
					if _, err := TagToVersion("v1_2_3"); !reflect.DeepEqual(err, wantLossy) {
						bad = fmt.Sprintf("lossy: %v", err)
					}
				case 3:
					if _, err := ParseVersion("1.22", Etcd); !reflect.DeepEqual(err, wantVersion) {
						bad = fmt.Sprintf("version: %v", err)
					}
				case 4:
					if tag, err := VersionToTag("3.4.13+fips.0", Etcd); err != nil || tag != "v3.4.13_fips.0" {
						bad = fmt.Sprintf("tag: %q %v", tag, err)
					}
				case 5:
					if got, err := AuditUpdate(policy, []byte(auditManifest), []byte(auditManifest)); err != nil ||
						!reflect.DeepEqual(got, wantAudit) {
						bad = fmt.Sprintf("audit: %v %v", got, err)
					}
				}
				if bad != "" {
					failures <- fmt.Sprintf("goroutine %d call %d: %s", g, i, bad)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
}
