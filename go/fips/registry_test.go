package fips

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// ScanRegistry against a real registry (issue 17, item 1: the same from Go, with the same
// JSON shape as `fipsctl --json scan docker://REF`).
//
// scripts/test-ffi brings up CNCF distribution's registry on loopback, pushes an image whose one
// layer holds the GOEXPERIMENT=boringcrypto scan subject at usr/local/bin/kube-apiserver (the
// embedded policy accepts boringcrypto for kube-apiserver: docs/scan.md), writes fipsctl's JSON
// for it, and exports FIPS_TEST_REGISTRY (HOST:PORT), FIPS_TEST_REGISTRY_IMAGE,
// FIPS_TEST_REGISTRY_DIGEST (`crane digest`: the SHA-256 of the manifest bytes, OCI image spec
// descriptor.md) and FIPS_TEST_REGISTRY_CLI_JSON. Without them the test is skipped, except
// under CI=true, where that is a failure.

type testRegistry struct{ host, image, digest, cliJSON string }

func registryUnderTest(t *testing.T) testRegistry {
	t.Helper()
	r := testRegistry{
		host: os.Getenv("FIPS_TEST_REGISTRY"), image: os.Getenv("FIPS_TEST_REGISTRY_IMAGE"),
		digest: os.Getenv("FIPS_TEST_REGISTRY_DIGEST"), cliJSON: os.Getenv("FIPS_TEST_REGISTRY_CLI_JSON"),
	}
	if r.host == "" || r.image == "" || r.digest == "" || r.cliJSON == "" {
		msg := "no test registry: scripts/test-ffi brings one up and sets FIPS_TEST_REGISTRY_*"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: required)")
		}
		t.Skip(msg)
	}
	return r
}

func TestScanRegistryJudgesThePushedImageAsFipsctlDoes(t *testing.T) {
	r := registryUnderTest(t)
	report, err := ScanRegistry(nil, "docker://"+r.image, &RegistryOptions{InsecureRegistries: []string{r.host}})
	if err != nil {
		t.Fatalf("ScanRegistry: %v", err)
	}
	if !report.Compliant || len(report.Results) != 1 || report.Results[0].CryptoModule != "boringcrypto" {
		t.Errorf("report: %v, want one compliant boringcrypto result", report)
	}
	if report.Registry.Digest != r.digest || report.Registry.Reference != r.image || report.Registry.Mirror != nil {
		t.Errorf("registry: %+v, want digest %s (crane digest) of %s, no mirror", report.Registry, r.digest, r.image)
	}
	cli, err := os.ReadFile(r.cliJSON)
	if err != nil {
		t.Fatal(err)
	}
	// Go's encoding of these types is not serde's (settings, omitted fields), so the check is
	// on the values: fipsctl's JSON, read by this package's strict decoder, is the report.
	var want RegistryScanReport
	if err := decode("fipsctl's output", string(cli), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*report, want) {
		t.Errorf("ScanRegistry's report differs from fipsctl --json scan's:\n got %+v\nwant %+v", *report, want)
	}
}

func TestScanRegistryMissingTagIsScanFailedNamingIt(t *testing.T) {
	r := registryUnderTest(t)
	reference := r.host + "/fips/boring:absent"
	report, err := ScanRegistry(nil, reference, &RegistryOptions{InsecureRegistries: []string{r.host}})
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusScanFailed || e.Kind() != "scan" || report != nil {
		t.Fatalf("ScanRegistry(%s): %v, %v; want StatusScanFailed, kind scan", reference, report, err)
	}
	if !strings.Contains(e.Message, reference) || !strings.Contains(e.Message, "404") {
		t.Errorf("the error does not name %s and 404: %s", reference, e.Message)
	}
}

func TestScanRegistryRefusesBadOptionsNamingTheField(t *testing.T) {
	r := registryUnderTest(t)
	for _, c := range []struct {
		options RegistryOptions
		mention string
	}{
		{RegistryOptions{Platform: "linux"}, "platform"},
		{RegistryOptions{Platform: "linux/amd64", AllPlatforms: true}, "all_platforms"},
	} {
		_, err := ScanRegistry(nil, r.image, &c.options)
		var e *Error
		if !errors.As(err, &e) || e.Status != StatusOptionsInvalid || e.Kind() != "input" ||
			e.Variant() != "options-invalid" || !strings.Contains(e.Message, c.mention) {
			t.Errorf("ScanRegistry(%+v): %v; want StatusOptionsInvalid naming %s", c.options, err, c.mention)
		}
	}
}
