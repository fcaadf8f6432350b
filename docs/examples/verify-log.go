// verify-log checks voucher-ledger's public log without an account (decision 0045), with Go's sumdb libraries:
//
//	go run . [-log-key KEY] [-old-checkpoint FILE | -old-size N] [-leaf-hash HEX] [-save FILE] http://localhost:3000
//
// It checks that the latest checkpoint is signed by the log key; with -old-checkpoint (a note an earlier run saved
// with -save) or -old-size (the note the server signed at that size), that its tree is a prefix of the latest; with
// -leaf-hash (SHA-256(0x00 ‖ the entry hash) of an entry you hold), that the entry is in it. Pin the key and keep
// your own old checkpoint: read from the server being checked, they prove only that it agrees with itself. It exits
// 1 at the first check that fails.
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var base string

func get(path string) []byte {
	res, err := http.Get(strings.TrimRight(base, "/") + path)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		log.Fatalf("GET %s: %s %s", path, res.Status, body)
	}
	return body
}

// open checks the note's log signature and returns the tree size and root hash it signs.
func open(msg []byte, verifier note.Verifier) (int64, tlog.Hash) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		log.Fatalf("FAIL checkpoint: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 3 || lines[0] != verifier.Name() {
		log.Fatalf("FAIL checkpoint: not a checkpoint of %s", verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		log.Fatalf("FAIL checkpoint: tree size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2]) // base64, as C2SP checkpoints write it
	if err != nil {
		log.Fatalf("FAIL checkpoint: root hash %q", lines[2])
	}
	return size, root
}

// hashes reads the lowercase hex hashes of a proof.
func hashes(list []string) []tlog.Hash {
	out := make([]tlog.Hash, len(list))
	for i, text := range list {
		raw, err := hex.DecodeString(text)
		if err != nil || len(raw) != len(out[i]) {
			log.Fatalf("not a hash: %q", text)
		}
		copy(out[i][:], raw)
	}
	return out
}

func main() {
	logKey := flag.String("log-key", "", "the log key, or a file holding it (pinned from an earlier run)")
	oldCheckpoint := flag.String("old-checkpoint", "", "a checkpoint note saved by an earlier run")
	oldSize := flag.Int64("old-size", 0, "also prove the checkpoint signed at this tree size is a prefix of the latest")
	leafHash := flag.String("leaf-hash", "", "also prove this leaf (lowercase hex) is in the latest tree")
	save := flag.String("save", "", "write the verified latest checkpoint note here, for the next run")
	flag.Parse()
	base = flag.Arg(0)
	key := *logKey
	if raw, err := os.ReadFile(key); key != "" && err == nil {
		key = string(raw)
	} else if key == "" {
		key = string(get("/v1/public/log-key"))
		fmt.Fprintln(os.Stderr, "note: the log key was read from the server being checked; pin it with -log-key")
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(key))
	if err != nil {
		log.Fatal(err)
	}
	latest := get("/v1/public/checkpoint")
	size, root := open(latest, verifier)
	fmt.Printf("ok checkpoint: tree size %d, root %x, signed by %s\n", size, root[:], verifier.Name())

	var oldNote []byte
	if *oldCheckpoint != "" {
		if oldNote, err = os.ReadFile(*oldCheckpoint); err != nil {
			log.Fatal(err)
		}
	} else if *oldSize > 0 {
		oldNote = get(fmt.Sprintf("/v1/public/checkpoints/%d", *oldSize))
	}
	if oldNote != nil {
		older, olderRoot := open(oldNote, verifier)
		var proof struct {
			Path []string `json:"path"`
		}
		if err := json.Unmarshal(get(fmt.Sprintf("/v1/public/proofs/consistency?from=%d&to=%d", older, size)), &proof); err != nil {
			log.Fatal(err)
		}
		if err := tlog.CheckTree(hashes(proof.Path), size, root, older, olderRoot); err != nil {
			log.Fatalf("FAIL consistency: %v", err)
		}
		fmt.Printf("ok consistency: the tree of %d is a prefix of the tree of %d\n", older, size)
	}

	if *leafHash != "" {
		var proof struct {
			LeafIndex int64    `json:"leafIndex"`
			Path      []string `json:"path"`
		}
		if err := json.Unmarshal(get(fmt.Sprintf("/v1/public/proofs/inclusion?leafHash=%s&treeSize=%d", *leafHash, size)), &proof); err != nil {
			log.Fatal(err)
		}
		if err := tlog.CheckRecord(hashes(proof.Path), size, root, proof.LeafIndex, hashes([]string{*leafHash})[0]); err != nil {
			log.Fatalf("FAIL inclusion: %v", err)
		}
		fmt.Printf("ok inclusion: leaf %d is in the tree of %d\n", proof.LeafIndex, size)
	}

	if *save != "" {
		if err := os.WriteFile(*save, latest, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
