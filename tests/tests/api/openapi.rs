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

/// docs/errors.md is the catalogue the code generates (rewritten with the spec by `just openapi`).
#[test]
fn the_committed_error_catalogue_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/errors.md");
    let generated = pos_http::openapi::error_catalogue_markdown();
    if std::env::var("POS_UPDATE_OPENAPI").is_ok() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/errors.md is stale: run `just openapi` and commit it"
    );
    for code in pos_domain::code::Code::ALL {
        assert!(
            committed.contains(&format!("| `{code}` |")),
            "{code} is missing from docs/errors.md"
        );
    }
}

/// Every code the server can send is in the spec under its status: the server's errors carry
/// a `Code` (the type allows nothing else), and each code's status has a Problem schema whose
/// `code` enum lists it.
#[test]
fn every_code_is_in_the_problem_schema_of_its_status() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    for code in pos_domain::code::Code::ALL {
        let status = pos_http::problem::status_of(*code).as_u16();
        let listed = &schemas[format!("Problem{status}")]["allOf"][1]["properties"]["code"]["enum"];
        let listed: Vec<&str> = listed
            .as_array()
            .map(|codes| codes.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert!(
            listed.contains(&code.as_str()),
            "{code} ({status}) is not in Problem{status}: {listed:?}"
        );
    }
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

/// The report span the server enforces is the one the spec states on `from`.
#[test]
fn the_spec_states_the_longest_report() {
    let spec = spec();
    let params = spec["paths"]["/api/reports/daily"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let from = params.iter().find(|p| p["name"] == "from").unwrap();
    let stated = format!("at most {} days", pos_domain::reports::MAX_DAYS);
    assert!(
        from["description"]
            .as_str()
            .unwrap_or_default()
            .contains(&stated),
        "{from}"
    );
}

#[test]
fn every_list_answers_the_paged_envelope() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let mut lists = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(body) =
                op["responses"]["200"]["content"]["application/json"]["schema"].as_object()
            else {
                continue;
            };
            assert_ne!(
                body.get("type").and_then(Value::as_str),
                Some("array"),
                "{method} {path} answers a bare array: wrap it in Paged"
            );
            let Some(name) = body
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            else {
                continue;
            };
            if name.starts_with("Paged_") {
                lists += 1;
                let properties = &schemas[name]["properties"];
                for field in ["data", "page", "per_page", "total"] {
                    assert!(properties[field].is_object(), "{name} has no {field}");
                }
                let names: Vec<&str> = op["parameters"]
                    .as_array()
                    .map(|ps| ps.iter().filter_map(|p| p["name"].as_str()).collect())
                    .unwrap_or_default();
                assert!(
                    names.contains(&"page") && names.contains(&"per_page"),
                    "{method} {path} answers pages but takes no page or per_page: {names:?}"
                );
            }
        }
    }
    assert!(lists >= 25, "only {lists} paged lists found");
}

#[test]
fn each_error_response_lists_the_codes_of_its_operation() {
    let spec = spec();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.as_str() < "400" {
                    continue;
                }
                let schema = &response["content"]["application/problem+json"]["schema"];
                let listed = schema["allOf"][1]["properties"]["code"]["enum"].as_array();
                assert!(
                    listed.is_some_and(|codes| !codes.is_empty()),
                    "{method} {path} {status}: no codes listed (add them in openapi/errors.rs)"
                );
            }
        }
    }
    let codes = |method: &str, path: &str, status: &str| -> Vec<String> {
        spec["paths"][path][method]["responses"][status]["content"]["application/problem+json"]
            ["schema"]["allOf"][1]["properties"]["code"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    };
    let checkout = codes("post", "/api/sales", "409");
    for code in [
        "insufficient_stock",
        "credit_limit",
        "total_mismatch",
        "idempotency_key_reused",
    ] {
        assert!(checkout.contains(&code.to_owned()), "{code}: {checkout:?}");
    }
    assert!(!checkout.contains(&"last_admin".to_owned()));
    assert_eq!(codes("delete", "/api/brands/{id}", "409"), ["in_use"]);
    assert_eq!(codes("get", "/api/products/{id}", "403"), ["forbidden"]);
}

#[test]
fn a_problem_the_spec_does_not_list_fails_the_tests() {
    use pos_tests::documented::check_problem;
    check_problem("DELETE", "/api/brands/7", 409, "in_use");
    check_problem("GET", "/no/such/route", 404, "not_found");
    for (method, path, status, code) in [
        ("DELETE", "/api/brands/7", 409, "insufficient_stock"),
        ("GET", "/api/products", 409, "already_exists"),
        ("GET", "/api/users/me", 404, "not_found"),
    ] {
        let caught = std::panic::catch_unwind(|| check_problem(method, path, status, code));
        assert!(caught.is_err(), "{method} {path} {status} {code} passed");
    }
}

/// The names of the schemas `node` refers to, and theirs, transitively.
fn reachable(spec: &Value, node: &Value) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut refs = Vec::new();
    collect_refs(node, &mut refs);
    while let Some(r) = refs.pop() {
        let name = r.trim_start_matches("#/components/schemas/").to_owned();
        if seen.insert(name.clone()) {
            collect_refs(&spec["components"]["schemas"][&name], &mut refs);
        }
    }
    seen
}

#[test]
fn read_only_and_write_only_are_stated_where_they_matter() {
    let spec = spec();
    let (mut requests, mut responses) = (Value::Array(vec![]), Value::Array(vec![]));
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            requests
                .as_array_mut()
                .unwrap()
                .push(op["requestBody"].clone());
            responses
                .as_array_mut()
                .unwrap()
                .push(op["responses"].clone());
        }
    }
    let (sent, answered) = (reachable(&spec, &requests), reachable(&spec, &responses));
    // Bodies sent and bodies answered are separate schemas, so a field the server assigns (an
    // id, a timestamp, a figure) is never in a request schema: readOnly has nothing to mark.
    // The only schemas both ways are values with nothing server-assigned.
    for shared in sent.intersection(&answered) {
        let properties = &spec["components"]["schemas"][shared]["properties"];
        for assigned in ["id", "created_at", "updated_at", "total"] {
            assert!(
                properties[assigned].is_null(),
                "{shared} is sent and answered and has {assigned}: split it, or mark it readOnly"
            );
        }
    }
    // Secrets go in and never come out: writeOnly, and masked in Swagger UI.
    let mut secrets = 0;
    for name in &sent {
        let schema = &spec["components"]["schemas"][name];
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            if field.contains("password")
                || (name.as_str() != "TokenResponse" && field == "refresh_token")
            {
                secrets += 1;
                assert_eq!(property["writeOnly"], true, "{name}.{field}");
                assert_eq!(property["format"], "password", "{name}.{field}");
            }
        }
    }
    assert_eq!(
        secrets, 6,
        "login, refresh, new user, user update, own password (2)"
    );
}
