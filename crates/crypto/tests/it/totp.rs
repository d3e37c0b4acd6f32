use haven_crypto::{CryptoError, TotpSecret};

/// RFC 6238 appendix B, SHA1 (secret "12345678901234567890"); the 6-digit codes are the last six
/// digits of the 8-digit ones in the RFC.
const RFC6238_SHA1: [(u64, &str); 6] = [
    (59, "287082"),
    (1_111_111_109, "081804"),
    (1_111_111_111, "050471"),
    (1_234_567_890, "005924"),
    (2_000_000_000, "279037"),
    (20_000_000_000, "353130"),
];

fn rfc_secret() -> TotpSecret {
    TotpSecret::from_bytes(b"12345678901234567890").unwrap()
}

#[test]
fn rfc6238_sha1_vectors() {
    let secret = rfc_secret();
    assert_eq!(secret.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    for (time, code) in RFC6238_SHA1 {
        assert_eq!(secret.code_at(time), code, "at {time}");
        assert_eq!(secret.verify(code, time), Some(time / 30), "at {time}");
    }
    let from_text = TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap();
    assert_eq!(from_text.code_at(59), "287082");
}

#[test]
fn skew_of_one_step_is_accepted_two_is_rejected() {
    let secret = rfc_secret();
    let t = 1_111_111_111u64;
    let step = t / 30;
    let code = secret.code_at(t);
    assert_eq!(secret.verify(&code, t), Some(step));
    assert_eq!(secret.verify(&code, t + 30), Some(step));
    assert_eq!(secret.verify(&code, t - 30), Some(step));
    assert_eq!(secret.verify(&code, t + 60), None);
    assert_eq!(secret.verify(&code, t - 60), None);
    // The matched step is the code's own step, so a replay check on it works.
    let next = secret.code_at(t + 30);
    assert_eq!(secret.verify(&next, t), Some(step + 1));
    // Near time zero there is no step -1.
    assert_eq!(secret.verify("287082", 0), Some(1));
}

#[test]
fn malformed_codes_are_rejected() {
    let secret = rfc_secret();
    for bad in ["", "28708", "2870822", "28708a", "-28708", "２８７０８２"] {
        assert_eq!(secret.verify(bad, 59), None, "{bad:?}");
    }
    assert_eq!(secret.verify(" 287 082 ", 59), Some(1));
}

#[test]
fn secrets_round_trip_and_are_validated() {
    let s = TotpSecret::generate();
    assert_eq!(s.to_base32().len(), 32);
    let back = TotpSecret::from_base32(&s.to_base32()).unwrap();
    assert_eq!(back.code_at(1000), s.code_at(1000));
    assert_ne!(TotpSecret::generate().to_base32(), s.to_base32());
    assert!(matches!(TotpSecret::from_base32("not base32!"), Err(CryptoError::Totp(_))));
    // 10 bytes: shorter than the 128-bit minimum.
    assert!(matches!(TotpSecret::from_base32("GEZDGNBVGY3TQOJQ"), Err(CryptoError::Totp(_))));
    let shown = format!("{s:?}");
    assert!(!shown.contains(&s.to_base32()));
}

#[test]
fn provisioning_uri() {
    let s = rfc_secret();
    assert_eq!(
        s.provisioning_uri("Haven LV", "anna@example.org"),
        "otpauth://totp/Haven%20LV:anna%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
         &issuer=Haven%20LV&algorithm=SHA1&digits=6&period=30"
    );
}
