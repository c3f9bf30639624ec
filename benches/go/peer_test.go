// Package peer times the version work of a provisioner written in Go, done with what Go
// users would otherwise reach for, beside the same work through the Go package over
// libfips (go/fips), on the same input in the same run:
//
//	go test -run '^$' -bench . -benchmem
//
// The peer is k8s.io/apimachinery's ParseSemantic followed by kubeadm's tag rule, written
// here as kubeadm runs it (KubernetesVersionToImageTag in cmd/kubeadm/app/util/version.go:
// a regular expression of the characters outside [-a-zA-Z0-9_.], compiled on every call,
// whose matches become "_"). scripts/bench runs these benchmarks; TestSameAnswers checks
// first that both sides give the same tag.
package peer

import (
	"regexp"
	"testing"

	"example.invalid/fips/go/fips"
	"k8s.io/apimachinery/pkg/util/version"
)

// The --kubernetes-version of the product documentation's FIPS example, as kubeadm holds it.
const input = "v1.22.8+fips.0"

// kubeadm's published FIPS image tag for it (docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0).
const tag = "v1.22.8_fips.0"

// kubeadmTag is kubeadm's KubernetesVersionToImageTag rule, compiled per call as kubeadm does.
func kubeadmTag(v string) string {
	return regexp.MustCompile(`[^-a-zA-Z0-9_.]`).ReplaceAllString(v, "_")
}

// apimachinery parses (rejecting what is not semver), then kubeadm makes the tag.
func apimachineryKubeadm(s string) (string, error) {
	if _, err := version.ParseSemantic(s); err != nil {
		return "", err
	}
	return kubeadmTag(s), nil
}

func TestSameAnswers(t *testing.T) {
	peer, err := apimachineryKubeadm(input)
	if err != nil || peer != tag {
		t.Fatalf("apimachinery + kubeadm: %q, %v; want %q", peer, err, tag)
	}
	ours, err := fips.VersionToTag(input, fips.Kubernetes)
	if err != nil || ours != tag {
		t.Fatalf("fips.VersionToTag: %q, %v; want %q", ours, err, tag)
	}
	info, err := fips.ParseVersion(input, fips.Kubernetes)
	if err != nil || info.Tag == nil || *info.Tag != tag {
		t.Fatalf("fips.ParseVersion: %+v, %v; want tag %q", info, err, tag)
	}
}

// BenchmarkApimachineryParseSemanticKubeadmTag: the peer.
func BenchmarkApimachineryParseSemanticKubeadmTag(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := apimachineryKubeadm(input); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApimachineryParseSemantic: the peer's parse alone.
func BenchmarkApimachineryParseSemantic(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := version.ParseSemantic(input); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLibfipsVersionToTag: parse + tag through cgo and libfips.
func BenchmarkLibfipsVersionToTag(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := fips.VersionToTag(input, fips.Kubernetes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLibfipsParseVersion: parse + FIPS build + tag through libfips, decoded from JSON.
func BenchmarkLibfipsParseVersion(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := fips.ParseVersion(input, fips.Kubernetes); err != nil {
			b.Fatal(err)
		}
	}
}
