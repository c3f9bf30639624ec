// Command tar-reference lists the entries of a layer blob as the container runtimes read
// it: containerd and docker detect gzip by its magic (containerd's
// compression.DetectCompression), read every gzip member (compress/gzip's multistream
// default), read the tar with archive/tar, and read the stream to its end (containerd's
// applier drains it to check the diff ID).
//
// Output, one line per entry: kind, hex name, hex link target, sha256 of the data; then
// "ok", or "error <message>" when the runtime would refuse the layer.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

func kind(t byte, name string) string {
	switch t {
	case tar.TypeReg, tar.TypeRegA:
		return "reg"
	case tar.TypeLink:
		return "link"
	case tar.TypeSymlink:
		return "symlink"
	case tar.TypeChar:
		return "char"
	case tar.TypeBlock:
		return "block"
	case tar.TypeDir:
		return "dir"
	case tar.TypeFifo:
		return "fifo"
	}
	return fmt.Sprintf("type-%d", t)
}

func list(blob []byte, out *bufio.Writer) error {
	var r io.Reader = bytes.NewReader(blob)
	if len(blob) >= 3 && blob[0] == 0x1f && blob[1] == 0x8b && blob[2] == 8 {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return err
		}
		r = gz
	} else if len(blob) >= 2 && blob[0] == 0x1f && blob[1] == 0x8b {
		return fmt.Errorf("gzip magic with an unknown method")
	}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		h := sha256.New()
		if _, err := io.Copy(h, tr); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s %s %s %s\n", kind(hdr.Typeflag, hdr.Name),
			hex.EncodeToString([]byte(hdr.Name)), hex.EncodeToString([]byte(hdr.Linkname)),
			hex.EncodeToString(h.Sum(nil)))
	}
	_, err := io.Copy(io.Discard, r)
	return err
}

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, path := range os.Args[1:] {
		blob, err := os.ReadFile(path)
		if err == nil {
			err = list(blob, out)
		}
		if err != nil {
			fmt.Fprintf(out, "error %s\n", err)
		} else {
			fmt.Fprintln(out, "ok")
		}
		fmt.Fprintln(out, "end")
	}
}
