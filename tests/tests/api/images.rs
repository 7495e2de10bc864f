use actix_web::http::header;
use actix_web::test::TestRequest;
use pos_tests::harness::client;
use serde_json::json;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn multipart(field: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "pos-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload(path: &str, token: &str, field: &str, bytes: &[u8]) -> TestRequest {
    let (content_type, body) = multipart(field, bytes);
    TestRequest::put()
        .uri(path)
        .insert_header((header::AUTHORIZATION, format!("Bearer {token}")))
        .insert_header((header::CONTENT_TYPE, content_type))
        .set_payload(body)
}

#[actix_web::test]
async fn a_product_image_is_uploaded_checked_and_served_back() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Mug", "sku": "MUG", "price": "5.00" }),
        )
        .await
        .json();
    let path = format!("/api/products/{}/image", product["id"]);
    let updated = c
        .send(upload(&path, &admin, "image", PNG))
        .await
        .expect(200)
        .json();
    let link = updated["image_url"].as_str().expect("image_url").to_owned();
    let (url, sig) = link.split_once("?sig=").expect("a signed link");
    assert!(
        url.starts_with("/api/media/products/") && url.ends_with(".png"),
        "{link}"
    );
    let served = c.get(url, &admin).await;
    served.expect(200);
    assert_eq!(served.header("content-type"), Some("image/png"));
    assert_eq!(served.bytes, PNG);
    // The link as answered opens the file with no token, as an <img src> fetches it.
    let get = actix_web::http::Method::GET;
    let by_link = c.call(get.clone(), &link, None, None).await;
    by_link.expect(200);
    assert_eq!(by_link.bytes, PNG);
    // Nothing else does: the bare path, a forged signature, this signature on another file.
    c.call(get.clone(), url, None, None)
        .await
        .expect_problem(401, "unauthenticated");
    let forged = format!("{url}?sig={}0", &sig[..sig.len() - 1]);
    let forged = if forged == link {
        format!("{url}?sig={}1", &sig[..sig.len() - 1])
    } else {
        forged
    };
    c.call(get.clone(), &forged, None, None)
        .await
        .expect_problem(401, "invalid_token");
    c.call(
        get.clone(),
        &format!("/api/media/products/other.png?sig={sig}"),
        None,
        None,
    )
    .await
    .expect_problem(401, "invalid_token");
    let listed = c.get("/api/products?q=Mug", &admin).await.json();
    assert_eq!(
        listed["data"][0]["image_url"], link,
        "the same link within the hour"
    );
    // Replacing the image removes the old file.
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];
    let replaced = c
        .send(upload(&path, &admin, "image", &jpeg))
        .await
        .expect(200)
        .json();
    assert!(
        replaced["image_url"]
            .as_str()
            .unwrap()
            .contains(".jpg?sig=")
    );
    c.get(url, &admin).await.expect_problem(404, "not_found");
    let cleared = c.delete(&path, &admin).await.expect(200).json();
    assert!(cleared["image_url"].is_null());
}

#[actix_web::test]
async fn files_that_are_not_images_are_refused_by_content() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Mug", "sku": "MUG", "price": "5.00" }),
        )
        .await
        .json();
    let path = format!("/api/products/{}/image", product["id"]);
    c.send(upload(&path, &admin, "image", b"<svg onload=alert(1)>"))
        .await
        .expect_problem(415, "unsupported_media_type");
    c.send(upload(&path, &admin, "image", b"GIF89a...."))
        .await
        .expect_problem(415, "unsupported_media_type");
    c.send(upload(&path, &admin, "file", PNG))
        .await
        .expect_problem(422, "validation_failed");
    // The form holds the image alone: a second part is refused, not skipped.
    let (content_type, mut body) = multipart("image", PNG);
    let extra =
        "--pos-test-boundary\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n";
    body.splice(0..0, extra.bytes());
    let two_parts = TestRequest::put()
        .uri(&path)
        .insert_header((header::AUTHORIZATION, format!("Bearer {admin}")))
        .insert_header((header::CONTENT_TYPE, content_type))
        .set_payload(body);
    let refused = c.send(two_parts).await.expect(422).json();
    assert_eq!(refused["errors"][0]["field"], "note");
    let mut huge = PNG.to_vec();
    huge.resize(2 * 1024 * 1024 + 1, 0);
    c.send(upload(&path, &admin, "image", &huge))
        .await
        .expect_problem(413, "payload_too_large");
    c.send(upload("/api/products/999999/image", &admin, "image", PNG))
        .await
        .expect_problem(404, "not_found");
    let unchanged = c
        .get(&format!("/api/products/{}", product["id"]), &admin)
        .await
        .json();
    assert!(unchanged["image_url"].is_null());
    c.get("/api/media/../secrets.png", &admin).await.expect(404);
}
