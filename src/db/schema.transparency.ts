// The transparency log's tables (decisions 0025 and 0027): the Merkle tree over the ledger and the witnesses' cosignatures.

/** One perfect subtree of the RFC 9162 tree: `level` 0 are leaves (idx = seq − 1). Append-only. */
export interface MerkleNodeTable {
  level: bigint;
  idx: bigint;
  /** SHA-256, lowercase hex. */
  hash: string;
}

/** A witness's C2SP tlog-cosignature of one checkpoint note, as it was posted and checked. Append-only. */
export interface CosignatureTable {
  tree_size: bigint;
  root_hash: string;
  /** The witness's key name and key ID (hex), as configured in WITNESS_KEYS. */
  witness: string;
  key_id: string;
  /** The cosignature's own POSIX timestamp (seconds). */
  signed_at: bigint;
  /** The whole signature line, `— <name> <base64>`. */
  line: string;
  received_at: string;
}

/** Leaf hash → leaf index, filled from merkle_nodes by the public inclusion proof as it needs (decision 0045). Derived. */
export interface MerkleLeafLookupTable {
  hash: string;
  idx: bigint;
}

export interface TransparencyTables {
  merkle_nodes: MerkleNodeTable;
  merkle_leaf_lookup: MerkleLeafLookupTable;
  cosignatures: CosignatureTable;
}
