use std::io::Write;

use mz_domain::blob::MediaType;

use super::*;

fn document() -> mz_print::OfficialDocument {
    mz_print::parse_document_json(
        &serde_json::json!({
            "issuer_mark": "湖南省民政厅文件",
            "doc_number": "湘民发〔2026〕3号",
            "title": "关于规范婚姻登记档案管理的通知",
            "recipients": ["各市州民政局"],
            "body": [
                {"level": 0, "text": "婚姻登记档案是婚姻登记机关在办理婚姻登记过程中形成的历史记录。"},
                {"level": 0, "text": "各地要按照《婚姻登记档案管理办法》做好归档、保管和利用工作。"}
            ],
            "signature": "湖南省民政厅",
            "date": "2026-03-02"
        })
        .to_string(),
    )
    .unwrap()
}

/// Both the PDF and the OFD the print engine makes read back as the words
/// printed, with the body's sentences whole.
#[test]
fn the_print_engine_s_pdf_and_ofd_read_back_as_their_words() {
    let fonts = mz_print::system_fonts();
    for (kind, bytes) in [
        (
            MediaType::Pdf,
            mz_print::document_pdf(&document(), fonts).unwrap(),
        ),
        (
            MediaType::Ofd,
            mz_print::document_ofd(&document(), fonts).unwrap(),
        ),
    ] {
        let text = extract(kind, &bytes).unwrap();
        let flat: String = text.split_whitespace().collect();
        assert!(
            flat.contains("关于规范婚姻登记档案管理的通知"),
            "{kind}: {text}"
        );
        assert!(flat.contains("湘民发〔2026〕3号"), "{kind}: {text}");
        assert!(flat.contains("婚姻登记档案管理办法"), "{kind}: {text}");
    }
}

fn zipped(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in parts {
        out.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(content.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_word_document_reads_as_its_paragraphs() {
    let docx = zipped(&[
        ("[Content_Types].xml", "<Types/>"),
        (
            "word/document.xml",
            r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>第一条</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">为了规范婚姻登记工作，</w:t></w:r><w:r><w:t>保障婚姻自由&amp;一夫一妻</w:t></w:r></w:p>
            <w:p><w:r><w:t>第二条 内地居民办理婚姻登记的机关</w:t></w:r></w:p>
            <w:p/></w:body></w:document>"#,
        ),
    ]);
    assert_eq!(MediaType::of_content(&docx), Some(MediaType::Docx));
    assert_eq!(
        extract(MediaType::Docx, &docx).unwrap(),
        "第一条 为了规范婚姻登记工作，保障婚姻自由&一夫一妻\n第二条 内地居民办理婚姻登记的机关"
    );
}

#[test]
fn a_workbook_reads_as_its_rows() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write(0, 0, "收费项目").unwrap();
    sheet.write(0, 1, "标准（元）").unwrap();
    sheet.write(1, 0, "遗体火化").unwrap();
    sheet.write(1, 1, 480).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(
        extract(MediaType::Xlsx, &bytes).unwrap(),
        "收费项目 标准（元）\n遗体火化 480"
    );
}

#[test]
fn plain_text_is_normalised_and_capped() {
    let text = "\u{feff}殡葬管理条例\r\n\r\n第一条\t为了加强殡葬管理，\u{3000}推进殡葬改革。  \n";
    assert_eq!(
        extract(MediaType::Text, text.as_bytes()).unwrap(),
        "殡葬管理条例\n第一条 为了加强殡葬管理， 推进殡葬改革。"
    );
    let long = "民".repeat(MAX_TEXT_CHARS + 10);
    assert_eq!(normalise(&long).chars().count(), MAX_TEXT_CHARS);
}

/// A damaged file is an error that says what it is, never a panic, and a
/// picture has no text.
#[test]
fn damaged_files_are_errors_that_name_their_kind() {
    let fonts = mz_print::system_fonts();
    let pdf = mz_print::document_pdf(&document(), fonts).unwrap();
    for cut in [10, pdf.len() / 3, pdf.len() / 2] {
        let outcome = extract(MediaType::Pdf, &pdf[..cut]);
        if let Err(error) = outcome {
            assert!(error.to_string().starts_with("PDF 文件已损坏"), "{error}");
        }
    }
    let error = extract(MediaType::Pdf, b"%PDF-1.7\nnot a pdf at all").unwrap_err();
    assert!(
        error.to_string().starts_with("PDF 文件已损坏或无法读取"),
        "{error}"
    );
    let error = extract(MediaType::Docx, b"PK\x03\x04broken").unwrap_err();
    assert!(
        error.to_string().starts_with("Word 文档 文件已损坏"),
        "{error}"
    );
    let no_body = zipped(&[("[Content_Types].xml", "<Types/>")]);
    let error = extract(MediaType::Docx, &no_body).unwrap_err();
    assert!(
        error.to_string().contains("缺少 word/document.xml"),
        "{error}"
    );
    let error = extract(MediaType::Ofd, &zipped(&[("OFD.xml", "<ofd:OFD/>")])).unwrap_err();
    assert!(error.to_string().contains("DocRoot"), "{error}");
    assert_eq!(
        extract(MediaType::Jpeg, &[0xFF, 0xD8, 0xFF, 0]).unwrap_err(),
        ExtractError::NoText("图片")
    );
    assert!(extract(MediaType::Text, &[0xE6, 0xB0]).is_err());
}

#[test]
fn ofd_paths_resolve_against_their_document() {
    assert_eq!(
        resolve("Doc_0/Document.xml", "Pages/Page_0/Content.xml"),
        "Doc_0/Pages/Page_0/Content.xml"
    );
    assert_eq!(resolve("Doc_0/Document.xml", "/Doc_0/P.xml"), "Doc_0/P.xml");
    assert_eq!(resolve("Document.xml", "P.xml"), "P.xml");
}
