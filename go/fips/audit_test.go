package fips

import (
	"errors"
	"strings"
	"testing"
)

// A kubeadm ClusterConfiguration asking for the documented FIPS builds from the documented
// repository (kubeadm.k8s.io/v1beta4; product documentation, FIPS 140-2 Compliance).
const auditManifest = `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.22.8+fips.0
imageRepository: docker.io/mesosphere
etcd:
  local:
    imageTag: v3.4.13_fips.0
`

func TestAuditGivesTypedReports(t *testing.T) {
	report, err := Audit(nil, []byte(auditManifest))
	if err != nil || !report.Compliant || len(report.Clusters) != 1 || len(report.Codes()) != 0 {
		t.Fatalf("Audit: %v, %v", report, err)
	}
	c := report.Clusters[0]
	if len(c.Objects) != 1 || c.Objects[0].Kind != "ClusterConfiguration" || c.Objects[0].APIVersion != "kubeadm.k8s.io/v1beta4" {
		t.Fatalf("objects: %v", c.Objects)
	}
	upstream := strings.Replace(auditManifest, "v1.22.8+fips.0", "v1.22.8", 1)
	report, err = Audit(nil, []byte(upstream))
	if err != nil || report.Compliant || report.Codes()[0] != "FIPS-K8S-NOT-FIPS-BUILD" {
		t.Fatalf("not FIPS: %v, %v", report, err)
	}
	f := report.Clusters[0].Findings[0]
	if f.Field != "kubernetesVersion" || f.Remediation != "v1.22.8+fips.0" || f.Object == nil ||
		f.Object.Kind != "ClusterConfiguration" {
		t.Fatalf("finding: %v", f)
	}
	// FIPS turned off on an existing cluster is refused.
	report, err = AuditUpdate(nil, []byte(auditManifest), []byte(upstream))
	if err != nil || report.Compliant || !strings.Contains(strings.Join(report.Codes(), " "), "FIPS-TRANSITION-DISABLE-REFUSED") {
		t.Fatalf("AuditUpdate: %v, %v", report, err)
	}
	// Objects that ask for nothing show nothing to be FIPS: no cluster is not compliant.
	report, err = Audit(nil, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"))
	if err != nil || report.Compliant || report.Ignored != 1 || len(report.Clusters) != 0 {
		t.Fatalf("a ConfigMap: %v, %v", report, err)
	}
}

func TestAuditErrorsNameTheManifest(t *testing.T) {
	var e *Error
	_, err := Audit(nil, []byte("apiVersion: v1\nkind: [\n"))
	if !errors.As(err, &e) || e.Status != StatusManifestInvalid || e.Kind() != "manifest" ||
		!strings.HasPrefix(e.Message, "fips: Audit: ") {
		t.Fatalf("malformed YAML: %v", err)
	}
	_, err = AuditUpdate(nil, []byte("kind: [\n"), []byte(auditManifest))
	if !errors.As(err, &e) || e.Status != StatusManifestInvalid || !strings.HasPrefix(e.Message, "fips: AuditUpdate: oldManifest: ") {
		t.Fatalf("malformed old manifest: %v", err)
	}
	_, err = AuditUpdate(nil, []byte(auditManifest), []byte("a\x00b"))
	if !errors.As(err, &e) || e.Status != StatusEmbeddedNul || !strings.HasPrefix(e.Message, "fips: AuditUpdate: newManifest holds a NUL") {
		t.Fatalf("NUL in the new manifest: %v", err)
	}
}
