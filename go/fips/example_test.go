package fips_test

import (
	"errors"
	"fmt"

	"example.invalid/fips/go/fips"
)

// The product documentation's FIPS request with +fips.0 dropped from the Kubernetes
// version: a negative verdict is a report, not an error, and each finding names the flag
// and the exact fix.
func ExampleValidateArgs() {
	report, err := fips.ValidateArgs(nil, []string{"dkp", "create", "cluster", "aws", "--ami=ami-03dcaa75d45aca36f",
		"--kubernetes-version=1.22.8", "--kubernetes-image-repository=docker.io/mesosphere",
		"--etcd-version=3.4.13+fips.0", "--etcd-image-repository=docker.io/mesosphere"})
	if err != nil {
		fmt.Println("no verdict:", err)
		return
	}
	fmt.Println(report)
	for _, f := range report.Findings {
		fmt.Println(f.Code, "fix:", f.Remediation)
	}
	// Output:
	// compliant=false codes=[FIPS-K8S-NOT-FIPS-BUILD FIPS-MIXED-K8S-NOT-FIPS]
	// FIPS-K8S-NOT-FIPS-BUILD fix: --kubernetes-version=1.22.8+fips.0
	// FIPS-MIXED-K8S-NOT-FIPS fix: --kubernetes-version=1.22.8+fips.0
}

// A request as a struct: fields left empty are flags not given.
func ExampleValidate() {
	report, err := fips.Validate(nil, fips.Request{
		Provider: "aws", AMI: "ami-03dcaa75d45aca36f",
		KubernetesVersion: "1.22.8+fips.0", KubernetesImageRepository: "docker.io/mesosphere",
		EtcdVersion: "3.4.13+fips.0", EtcdImageRepository: "docker.io/mesosphere",
	})
	if err != nil {
		fmt.Println("no verdict:", err)
		return
	}
	fmt.Println(report)
	// Output:
	// compliant=true codes=[]
}

// FIPS status is fixed at creation: turning it on for an existing cluster is refused.
func ExampleCheckTransition() {
	report, err := fips.CheckTransition(nil, "1.22.8", "1.22.8+fips.0")
	if err != nil {
		fmt.Println("no verdict:", err)
		return
	}
	fmt.Println(report)
	// Output:
	// allowed=false 1.22.8 -> 1.22.8+fips.0 codes=[FIPS-TRANSITION-ENABLE-REFUSED]
}

func ExampleVersionToTag() {
	tag, err := fips.VersionToTag("1.22.8+fips.0", fips.Kubernetes)
	fmt.Println(tag, err)
	// Output:
	// v1.22.8_fips.0 <nil>
}

func ExampleTagToVersion() {
	version, err := fips.TagToVersion("v3.4.13_fips.0")
	fmt.Println(version, err)
	// Output:
	// 3.4.13+fips.0 <nil>
}

func ExampleParseVersion() {
	info, err := fips.ParseVersion("v1.22.8+fips.0", fips.Etcd)
	fmt.Println(info, err)
	// Output:
	// 1.22.8+fips.0 (etcd, fips=true, tag v1.22.8_fips.0) <nil>
}

func ExampleParseImage() {
	image, err := fips.ParseImage("mesosphere/etcd:v3.4.13_fips.0")
	fmt.Println(image, err)
	// Output:
	// docker.io/mesosphere/etcd:v3.4.13_fips.0 <nil>
}

// A kubeadm ClusterConfiguration whose Kubernetes version is not a FIPS build: the finding
// names the object and the field, and the value to set there.
func ExampleAudit() {
	manifest := []byte(`apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.22.8
imageRepository: docker.io/mesosphere
etcd: {local: {imageTag: v3.4.13_fips.0}}
`)
	report, err := fips.Audit(nil, manifest)
	if err != nil {
		fmt.Println("no verdict:", err)
		return
	}
	fmt.Println(report)
	for _, c := range report.Clusters {
		for _, f := range c.Findings {
			fmt.Printf("%s %s %s: set %s\n", f.Code, f.Object.Kind, f.Field, f.Remediation)
		}
	}
	// Output:
	// compliant=false clusters=1 ignored=0 codes=[FIPS-K8S-NOT-FIPS-BUILD FIPS-MIXED-K8S-NOT-FIPS]
	// FIPS-K8S-NOT-FIPS-BUILD ClusterConfiguration kubernetesVersion: set v1.22.8+fips.0
	// FIPS-MIXED-K8S-NOT-FIPS ClusterConfiguration kubernetesVersion: set v1.22.8+fips.0
}

// An update that turns FIPS off on an existing cluster is refused, as an admission webhook
// refuses it on UPDATE.
func ExampleAuditUpdate() {
	kcp := func(version string) []byte {
		return []byte(`apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata: {name: cp, namespace: default}
spec: {version: ` + version + `}
`)
	}
	report, err := fips.AuditUpdate(nil, kcp("v1.22.8+fips.0"), kcp("v1.22.8"))
	if err != nil {
		fmt.Println("no verdict:", err)
		return
	}
	fmt.Println(report.Compliant, report.Codes())
	// Output:
	// false [FIPS-K8S-NOT-FIPS-BUILD FIPS-ETCD-NOT-FIPS-BUILD FIPS-K8S-REPOSITORY-NOT-FIPS FIPS-ETCD-REPOSITORY-NOT-FIPS FIPS-TRANSITION-DISABLE-REFUSED]
}

// An error means no verdict; programs match on its Status, Kind and Variant, never on the
// message.
func ExampleError() {
	_, err := fips.TagToVersion("v1_2_3")
	var e *fips.Error
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.Kind(), e.Variant())
		fmt.Println(e)
	}
	// Output:
	// StatusTagLossy tag lossy
	// fips: TagToVersion: tag "v1_2_3" cannot be converted without guessing: it holds 2 '_'; only one can be the '+' of build metadata, and the characters the others replaced cannot be recovered
}

// A policy file's text: here the default policy with a registry mirror.
func ExamplePolicyFromTOML() {
	policy, err := fips.PolicyFromTOML(`extend_default = true
[[mirrors]]
mirror = "registry.local/mesosphere"
upstream = "docker.io/mesosphere"
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer policy.Close()
	report, err := fips.ValidateArgs(policy, []string{"--ami=ami-03dcaa75d45aca36f",
		"--kubernetes-version=1.22.8+fips.0", "--kubernetes-image-repository=registry.local/mesosphere",
		"--etcd-version=3.4.13+fips.0", "--etcd-image-repository=registry.local/mesosphere"})
	fmt.Println(report, err)
	// Output:
	// compliant=true codes=[] <nil>
}
