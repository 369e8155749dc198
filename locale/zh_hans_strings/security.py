# zh_Hans for evidence checks (credits/evidence.py), the evidence preview and the evidence recheck (issue 8).
ZH = {
    "The evidence file is not a readable %(kind)s file (it is damaged or only looks like one).": "佐证材料不是可以正常打开的 %(kind)s 文件（文件已损坏，或只是看起来像）。",
    "The evidence file contains web page code; only a plain PDF, JPEG or PNG file is accepted.": "佐证材料含有网页代码，只接受普通的 PDF、JPEG 或 PNG 文件。",
    "The picture is too large; send one of at most %(mp)d megapixels.": "图片像素过大，请上传不超过 %(mp)d 百万像素的图片。",
    "The evidence file has extra data after the end of the picture.": "佐证材料在图片结尾之后还有多余的数据。",
    "The PDF is protected by a password or encrypted; send one that opens without a password.": "该 PDF 设有密码或已加密，请上传无需密码即可打开的 PDF。",
    "The PDF is too complex to check; print it to a new PDF or scan it and send that.": "该 PDF 过于复杂，无法检查；请将其另存（打印）为新的 PDF 或扫描后再上传。",
    "The PDF contains scripts or embedded files; send a plain PDF (print it to a new PDF).": "该 PDF 含有脚本或嵌入文件，请上传普通 PDF（可另存/打印为新的 PDF）。",
    "evidence type": "佐证材料类型",
    "The evidence file is missing from storage.": "存储中找不到该佐证材料文件。",
    "Evidence quarantined: %(reason)s": "佐证材料已隔离：%(reason)s",
    "PDF files are not shown inside the portal: download the file and open it on your computer.": "PDF 文件不在门户内预览：请下载后在本机打开。",
    "Download the file": "下载文件",
    "PDF, JPEG or PNG, checked by parsing the whole file; read back as the URL that serves it.": "PDF、JPEG 或 PNG 文件，上传时完整解析检查；读取时返回提供该文件的地址。",
}
