"""An independent check of the test vectors, in Python with the `cryptography` package only:
HPKE (RFC 9180, base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305) written
out from the RFC, Ed25519 and SHA-256 from the library. It re-derives the keys from the stated
seeds, verifies the directory entries' signatures, opens the envelope and verifies the sender's
signature, as another implementation would (docs/transnational.md, "Test vectors").

    python3 crates/exchange/tests/vectors/independent_check.py
"""
import json, hashlib, hmac, base64, struct
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization
import os
D=os.path.dirname(os.path.abspath(__file__))+'/'
def b64d(s): return base64.urlsafe_b64decode(s + '='*(-len(s)%4))
def b64e(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
def extract(salt, ikm): return hmac.new(salt or b'\0'*32, ikm, hashlib.sha256).digest()
def expand(prk, info, L):
    out=b''; t=b''; i=1
    while len(out)<L:
        t=hmac.new(prk, t+info+bytes([i]), hashlib.sha256).digest(); out+=t; i+=1
    return out[:L]
KEM_ID=0x0020; KDF_ID=1; AEAD_ID=3
suite_kem=b'KEM'+struct.pack('>H',KEM_ID)
suite_hpke=b'HPKE'+struct.pack('>HHH',KEM_ID,KDF_ID,AEAD_ID)
def lextract(suite,salt,label,ikm): return extract(salt, b'HPKE-v1'+suite+label+ikm)
def lexpand(suite,prk,label,info,L): return expand(prk, struct.pack('>H',L)+b'HPKE-v1'+suite+label+info, L)
def derive_keypair(ikm):
    prk=lextract(suite_kem,b'',b'dkp_prk',ikm)
    sk=lexpand(suite_kem,prk,b'sk',b'',32)
    priv=X25519PrivateKey.from_private_bytes(sk)
    c=bytearray(sk); c[0]&=248; c[31]&=127; c[31]|=64; sk=bytes(c)
    return sk, priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
raw=lambda pub: pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
def decap(enc, skR):
    priv=X25519PrivateKey.from_private_bytes(skR)
    dh=priv.exchange(X25519PublicKey.from_public_bytes(enc))
    kem_context=enc+raw(priv.public_key())
    eae=lextract(suite_kem,b'',b'eae_prk',dh)
    return lexpand(suite_kem,eae,b'shared_secret',kem_context,32)
def key_schedule(ss, info):
    psk_id_hash=lextract(suite_hpke,b'',b'psk_id_hash',b'')
    info_hash=lextract(suite_hpke,b'',b'info_hash',info)
    ctx=b'\0'+psk_id_hash+info_hash
    secret=lextract(suite_hpke,ss,b'secret',b'')
    return lexpand(suite_hpke,secret,b'key',ctx,32), lexpand(suite_hpke,secret,b'base_nonce',ctx,12)
keys=json.load(open(D+'keys.json')); env=json.load(open(D+'envelope-ping.json')); dire=json.load(open(D+'directory-entries.json'))
K={k['instance_id']:k for k in keys['instances']}
for k in K.values():
    sk=Ed25519PrivateKey.from_private_bytes(bytes.fromhex(k['signing_seed_hex']))
    pk=raw(sk.public_key()); assert b64e(pk)==k['signing_public_key']; assert b64e(hashlib.sha256(pk).digest())==k['signing_key_id']
    esk,epk=derive_keypair(bytes.fromhex(k['encryption_ikm_hex'])); assert b64e(epk)==k['encryption_public_key'] and b64e(esk)==k['encryption_private_key']
    assert b64e(hashlib.sha256(epk).digest())==k['encryption_key_id']
def sig_input(label, parts): return label.encode()+b'\0'+b''.join(struct.pack('>I',len(p))+p for p in parts)
for e in dire['entries']:
    s=json.loads(e['signed_entry_json']); eb=b64d(s['entry']); assert eb.decode()==e['entry_json']
    Ed25519PublicKey.from_public_bytes(b64d(K[e['instance_id']]['signing_public_key'])).verify(b64d(s['signature']), sig_input('haven-exchange-directory-entry-v1',[eb]))
E=json.loads(env['envelope_json']); header=b64d(E['header']); assert header.decode()==env['header_json']
enc=b64d(E['enc']); ct=b64d(E['ciphertext'])
_,epub=derive_keypair(bytes.fromhex(env['ephemeral_ikm_hex'])); assert epub==enc
ss=decap(enc, b64d(K['EE']['encryption_private_key']))
key,nonce=key_schedule(ss, env['hpke_info'].encode())
pt=ChaCha20Poly1305(key).decrypt(nonce, ct, header); assert pt.decode()==env['inner_plaintext_json']
inner=json.loads(pt); body=b64d(inner['body']); assert body.decode()==env['body_json']
Ed25519PublicKey.from_public_bytes(b64d(K['LV']['signing_public_key'])).verify(b64d(inner['signature']), sig_input('haven-exchange-message-v1',[header,body]))
print("independent check: all vectors verified")
