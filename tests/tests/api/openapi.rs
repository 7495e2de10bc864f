use serde_json::Value;

fn committed_spec_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
}

/// The checked-in spec is what the code generates. When this fails, run `just openapi`
/// (or `cargo run -p pos-app -- openapi > openapi/openapi.json`) and commit the result.
#[test]
fn the_committed_openapi_spec_is_up_to_date() {
    let generated = pos_http::openapi::spec_json().unwrap();
    if std::env::var("POS_UPDATE_OPENAPI").is_ok() {
        std::fs::write(committed_spec_path(), &generated).unwrap();
    }
    let committed = std::fs::read_to_string(committed_spec_path()).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `just openapi` (or POS_UPDATE_OPENAPI=1 cargo test -p pos-tests --test api openapi) and commit it"
    );
}

fn spec() -> Value {
    serde_json::from_str(&pos_http::openapi::spec_json().unwrap()).unwrap()
}

#[test]
fn money_fields_are_decimal_strings_in_the_spec() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    for (schema, field) in [
        ("ProductView", "price"),
        ("ProductInput", "price"),
        ("ProductView", "stock_on_hand"),
        ("TaxRateView", "rate"),
    ] {
        let property = &schemas[schema]["properties"][field];
        assert_eq!(property["type"], "string", "{schema}.{field}: {property}");
    }
}

#[test]
fn every_operation_has_a_tag_an_id_and_security_declared() {
    let spec = spec();
    let public = ["/health", "/ready", "/api/auth/login", "/api/auth/refresh"];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path} has no tag"
            );
            assert!(
                op["operationId"].is_string(),
                "{method} {path} has no operationId"
            );
            let open = op["security"].as_array().is_some_and(|s| {
                s.iter()
                    .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
            assert_eq!(
                open,
                public.contains(&path.as_str()),
                "{method} {path}: security {}",
                op["security"]
            );
        }
    }
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => refs.push(r.clone()),
                    _ => collect_refs(v, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

/// Client generators refuse a spec with a dangling `$ref` (schemas used only in query
/// parameters are the usual culprit).
#[test]
fn every_schema_reference_resolves() {
    let spec = spec();
    let mut refs = Vec::new();
    collect_refs(&spec, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected ref {r}"));
        assert!(
            spec["components"]["schemas"].get(name).is_some(),
            "dangling $ref {r}"
        );
    }
}

#[test]
fn the_problem_schema_lists_every_code_of_the_catalogue() {
    let spec = spec();
    let codes: Vec<&str> = spec["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
        .as_array()
        .expect("an enum of codes")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let catalogue: Vec<&str> = pos_domain::code::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(codes, catalogue);
    assert!(codes.contains(&"insufficient_stock") && codes.contains(&"posted_by_opening"));
}
