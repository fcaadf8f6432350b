#!/usr/bin/env python3
"""Check voucher-ledger's public log without an account (decision 0045), with pyca/cryptography and hashlib.

    python3 verify_log.py http://localhost:3000 [--log-key KEY] [--old-checkpoint FILE | --old-size N]
                          [--leaf-hash HEX] [--save FILE]

1. the latest checkpoint is signed by the log key (C2SP signed-note, Ed25519);
2. with --old-checkpoint FILE (a note saved by an earlier run's --save) or --old-size N (the note the server signed
   at that size): that tree is a prefix of the latest (RFC 9162 consistency proof);
3. with --leaf-hash H: the leaf SHA-256(0x00 || entry hash) is in it (RFC 9162 inclusion proof).
Pin the key (--log-key, the text of /v1/public/log-key kept from the first run) and keep your own old checkpoint:
a key or an old note fetched from the server being checked proves only that the server agrees with itself.
Exit 0 when every check holds, 1 when one fails.
"""
import argparse, base64, hashlib, json, os, sys, urllib.error, urllib.request
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def get(base, path):
    """The body at path; an HTTP error (404: no checkpoint of that size, no such leaf) is a LookupError naming it."""
    try:
        with urllib.request.urlopen(base.rstrip("/") + path) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise LookupError(f"{path} answered HTTP {error.code}") from None


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def open_note(note, key):
    """The checkpoint (origin, size, root) of a note whose log signature verifies with key, or an exception."""
    name, key_id, material = key.strip().split("+", 2)
    raw = base64.b64decode(material)
    assert raw[0] == 1 and len(raw) == 33, "not an Ed25519 note key"
    assert hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == key_id, "the key id does not match the key"
    text, _, signatures = note.partition("\n\n")
    text += "\n"
    for line in signatures.splitlines():
        dash, signer, blob = line.split(" ")
        blob = base64.b64decode(blob)
        if dash == "\u2014" and signer == name and blob[:4].hex() == key_id:
            Ed25519PublicKey.from_public_bytes(raw[1:]).verify(blob[4:], text.encode())  # raises if forged
            origin, size, root = text.splitlines()
            assert origin == name, "the note is of another log"
            return int(size), base64.b64decode(root)
    raise ValueError("no signature of " + name)


def included(index, size, leaf, path, root):  # RFC 9162 2.1.3.2
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def consistent(size1, size2, root1, root2, path):  # RFC 9162 2.1.4.2
    if size1 == size2:
        return root1 == root2 and not path
    if size1 == 0 or size1 > size2:
        return size1 == 0  # every tree extends the empty one
    if size1 & (size1 - 1) == 0:
        path = [root1] + path
    if not path:
        return False
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == root1 and sr == root2 and sn == 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--log-key", help="the log key, or a file holding it (pinned from an earlier run)")
    parser.add_argument("--old-checkpoint", help="a checkpoint note saved by an earlier run")
    parser.add_argument("--old-size", type=int)
    parser.add_argument("--leaf-hash")
    parser.add_argument("--save", help="write the verified latest checkpoint note here, for the next run")
    args = parser.parse_args()
    if args.log_key:
        key = open(args.log_key).read() if os.path.isfile(args.log_key) else args.log_key
    else:
        key = get(args.base, "/v1/public/log-key").decode()
        print("note: the log key was read from the server being checked; pin it with --log-key", file=sys.stderr)
    note = get(args.base, "/v1/public/checkpoint").decode()
    size, root = open_note(note, key)
    print(f"ok checkpoint: tree size {size}, root {root.hex()}, signed by {key.split('+')[0]}")
    ok = True
    old_note = open(args.old_checkpoint).read() if args.old_checkpoint else None
    if old_note is None and args.old_size is not None:
        try:
            old_note = get(args.base, f"/v1/public/checkpoints/{args.old_size}").decode()
        except LookupError as error:
            print(f"FAIL consistency: the log has no checkpoint of tree size {args.old_size} ({error})")
            ok = False
    if old_note is not None:
        old_size, old_root = open_note(old_note, key)
        proof = json.loads(get(args.base, f"/v1/public/proofs/consistency?from={old_size}&to={size}"))
        holds = consistent(old_size, size, old_root, root, [bytes.fromhex(h) for h in proof["path"]])
        print(f"{'ok' if holds else 'FAIL'} consistency: the tree of {old_size} is {'' if holds else 'NOT '}a prefix of the tree of {size}")
        ok &= holds
    if args.leaf_hash:
        try:
            proof = json.loads(get(args.base, f"/v1/public/proofs/inclusion?leafHash={args.leaf_hash}&treeSize={size}"))
        except LookupError as error:
            print(f"FAIL inclusion: the leaf {args.leaf_hash} is NOT in the tree of {size} ({error})")
            sys.exit(1)
        path = [bytes.fromhex(h) for h in proof["path"]]
        holds = included(proof["leafIndex"], size, bytes.fromhex(args.leaf_hash), path, root)
        print(f"{'ok' if holds else 'FAIL'} inclusion: leaf {proof['leafIndex']} is {'' if holds else 'NOT '}in the tree of {size}")
        ok &= holds
    if args.save and ok:
        with open(args.save, "w") as saved:
            saved.write(note)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
