"""Demo works: real Vietnamese text written for this project, one work per access level and more.

Each entry gives the metadata and the paragraphs its generated PDF holds.
"""

from __future__ import annotations

FACULTIES = {
    "cntt": ("Khoa Công nghệ thông tin", "Faculty of Information Technology"),
    "kt": ("Khoa Kinh tế", "Faculty of Economics"),
    "nn": ("Khoa Nông nghiệp", "Faculty of Agriculture"),
    "yd": ("Khoa Y dược", "Faculty of Medicine and Pharmacy"),
    "sp": ("Khoa Sư phạm", "Faculty of Education"),
}

WORKS = [
    {
        "faculty": "nn", "type": "master_thesis", "year": 2021,
        "holding_id": "LV-2021-NN1", "access": "open",
        "title": "Quản lý sử dụng đất đai nông nghiệp tại tỉnh An Giang giai đoạn 2015–2020",
        "alt_title": "Agricultural land use management in An Giang province, 2015–2020",
        "creators": ["Nguyễn Thị Hoà"], "advisors": ["PGS.TS. Trần Văn Đường"],
        "degree_name": "Thạc sĩ Quản lý đất đai", "discipline": "Quản lý đất đai",
        "keywords": ["đất đai", "An Giang", "nông nghiệp", "quy hoạch"],
        "abstract": "Luận văn đánh giá thực trạng quản lý và sử dụng đất đai nông nghiệp tại "
                    "tỉnh An Giang, chỉ ra những hạn chế trong công tác quy hoạch và đề xuất "
                    "giải pháp sử dụng đất bền vững cho vùng đồng bằng sông Cửu Long.",
        "body": [
            "Chương 1. Tổng quan về quản lý đất đai. Đất đai là tư liệu sản xuất đặc biệt, "
            "là thành phần quan trọng hàng đầu của môi trường sống. Tại An Giang, diện tích "
            "đất nông nghiệp chiếm phần lớn tổng diện tích tự nhiên của tỉnh.",
            "Chương 2. Thực trạng sử dụng đất. Trong giai đoạn 2015–2020, diện tích đất trồng "
            "lúa giảm dần do chuyển đổi sang cây ăn trái và nuôi trồng thủy sản. Việc chuyển "
            "đổi tự phát gây khó khăn cho công tác quy hoạch thuỷ lợi.",
            "Chương 3. Giải pháp. Cần hoàn thiện hệ thống hồ sơ địa chính, tăng cường ứng dụng "
            "công nghệ thông tin trong quản lý đất đai và nâng cao nhận thức của người dân về "
            "pháp luật đất đai.",
        ],
    },
    {
        "faculty": "cntt", "type": "bachelor_thesis", "year": 2023,
        "holding_id": "LV-2023-CNTT1", "access": "open",
        "title": "Xây dựng hệ thống tìm kiếm văn bản tiếng Việt không dấu cho thư viện số",
        "alt_title": "A diacritic-insensitive Vietnamese text search system for digital libraries",
        "creators": ["Lê Minh Tuấn", "Phạm Thu Trang"], "advisors": ["TS. Nguyễn Văn An"],
        "degree_name": "Kỹ sư Công nghệ thông tin", "discipline": "Khoa học máy tính",
        "keywords": ["tìm kiếm", "tiếng Việt", "thư viện số", "chỉ mục"],
        "abstract": "Khóa luận xây dựng một hệ thống tìm kiếm toàn văn cho tiếng Việt, cho phép "
                    "người dùng gõ không dấu trên điện thoại mà vẫn tìm được tài liệu có dấu.",
        "body": [
            "Chương 1. Giới thiệu. Người dùng thư viện thường tìm kiếm trên điện thoại và gõ "
            "tiếng Việt không dấu. Hệ thống cần hiểu rằng \"dai hoc\" và \"Đại học\" là một.",
            "Chương 2. Phân tích từ vựng. Tiếng Việt là ngôn ngữ đơn lập, mỗi âm tiết được viết "
            "tách rời. Chữ đ không thể tách dấu theo chuẩn Unicode nên cần bảng chuyển đổi riêng.",
            "Chương 3. Kết quả thực nghiệm. Hệ thống xử lý chính xác cả kiểu bỏ dấu cũ và mới "
            "như hoà và hòa, thuỷ và thủy, giúp tăng đáng kể tỉ lệ tìm thấy tài liệu.",
        ],
    },
    {
        "faculty": "kt", "type": "master_thesis", "year": 2020,
        "holding_id": "LV-2020-KT1", "access": "campus",
        "title": "Nâng cao năng lực cạnh tranh của doanh nghiệp may mặc Việt Nam",
        "alt_title": "Improving the competitiveness of Vietnamese garment enterprises",
        "creators": ["Trần Quốc Bảo"], "advisors": ["PGS.TS. Lê Thị Mai"],
        "degree_name": "Thạc sĩ Quản trị kinh doanh", "discipline": "Quản trị kinh doanh",
        "keywords": ["may mặc", "cạnh tranh", "quản trị kinh doanh", "xuất khẩu"],
        "abstract": "Luận văn phân tích năng lực cạnh tranh của các doanh nghiệp may mặc trong "
                    "bối cảnh hội nhập và đề xuất các giải pháp quản trị kinh doanh phù hợp.",
        "body": [
            "Chương 1. Cơ sở lý luận về năng lực cạnh tranh. Ngành may mặc là ngành xuất khẩu "
            "chủ lực, thu hút nhiều lao động, đặc biệt là lao động nữ ở nông thôn.",
            "Chương 2. Phân tích thực trạng. Các doanh nghiệp chủ yếu gia công theo phương thức "
            "CMT, giá trị gia tăng thấp, phụ thuộc vào nguyên liệu nhập khẩu.",
            "Chương 3. Giải pháp quản trị kinh doanh: chuyển dịch sang phương thức FOB và ODM, "
            "đầu tư thiết kế, xây dựng thương hiệu và phát triển chuỗi cung ứng trong nước.",
        ],
    },
    {
        "faculty": "yd", "type": "doctoral_dissertation", "year": 2022,
        "holding_id": "LA-2022-YD1", "access": "restricted",
        "title": "Nghiên cứu đặc điểm dịch tễ học bệnh sốt xuất huyết tại Đồng bằng sông Cửu Long",
        "alt_title": "Epidemiology of dengue fever in the Mekong Delta",
        "creators": ["Võ Thanh Hải"], "advisors": ["GS.TS. Đặng Văn Y", "PGS.TS. Hồ Thị Lan"],
        "degree_name": "Tiến sĩ Y học", "discipline": "Y tế công cộng",
        "keywords": ["sốt xuất huyết", "dịch tễ học", "y học dự phòng"],
        "abstract": "Luận án mô tả đặc điểm dịch tễ học của bệnh sốt xuất huyết Dengue tại các "
                    "tỉnh Đồng bằng sông Cửu Long và các yếu tố nguy cơ liên quan.",
        "body": [
            "Chương 1. Tổng quan. Sốt xuất huyết Dengue là bệnh truyền nhiễm cấp tính do muỗi "
            "vằn truyền, lưu hành quanh năm ở các tỉnh phía Nam.",
            "Chương 2. Đối tượng và phương pháp nghiên cứu. Nghiên cứu cắt ngang trên hồ sơ "
            "bệnh án tại mười hai bệnh viện tuyến tỉnh, kết hợp khảo sát hộ gia đình.",
            "Chương 3. Kết quả. Tỉ lệ mắc bệnh cao nhất vào mùa mưa; trẻ em dưới mười lăm tuổi "
            "chiếm đa số. Mật độ lăng quăng trong dụng cụ chứa nước là yếu tố nguy cơ chính.",
        ],
    },
    {
        "faculty": "sp", "type": "research_report", "year": 2024,
        "holding_id": "BC-2024-SP1", "access": "embargoed",
        "embargo_until": "2027-06-30",
        "title": "Đánh giá chương trình giáo dục phổ thông mới tại các trường trung học cơ sở",
        "alt_title": "Evaluating the new general education curriculum in lower secondary schools",
        "creators": ["Hoàng Thị Thuỷ", "Đỗ Văn Khoa"], "advisors": [],
        "degree_name": "", "discipline": "Khoa học giáo dục",
        "keywords": ["giáo dục phổ thông", "chương trình", "đánh giá"],
        "abstract": "Báo cáo đề tài cấp trường đánh giá bước đầu việc triển khai chương trình "
                    "giáo dục phổ thông 2018 tại các trường trung học cơ sở của tỉnh.",
        "body": [
            "Phần 1. Bối cảnh. Chương trình giáo dục phổ thông 2018 chuyển từ truyền thụ kiến "
            "thức sang phát triển phẩm chất và năng lực người học.",
            "Phần 2. Kết quả khảo sát giáo viên và học sinh tại hai mươi trường trung học cơ sở "
            "cho thấy nhu cầu bồi dưỡng giáo viên về phương pháp dạy học tích hợp.",
        ],
    },
    {
        "faculty": "kt", "type": "research_report", "year": 2019, "access": "confidential",
        "title": "Báo cáo nội bộ về tình hình tài chính các đơn vị trực thuộc",
        "alt_title": "Internal report on the finances of affiliated units",
        "creators": ["Phòng Kế hoạch – Tài chính"], "advisors": [],
        "degree_name": "", "discipline": "Tài chính",
        "keywords": ["tài chính", "nội bộ"],
        "abstract": "Tài liệu không công khai, chỉ lưu hành nội bộ.",
        "body": [
            "Số liệu tài chính nội bộ của các đơn vị trực thuộc, không công bố ra bên ngoài. "
            "Mã kiểm tra: bảomật-nội-bộ-xk42.",
        ],
    },
    {
        "faculty": "cntt", "type": "master_thesis", "year": 2018,
        "holding_id": "LV-2018-CNTT2", "access": "open",
        "title": "Ứng dụng học máy trong dự báo năng suất lúa tại Đồng Tháp",
        "alt_title": "Machine learning for rice yield forecasting in Dong Thap",
        "creators": ["Ngô Bảo Châu Anh"], "advisors": ["TS. Nguyễn Văn An"],
        "degree_name": "Thạc sĩ Khoa học máy tính", "discipline": "Khoa học máy tính",
        "keywords": ["học máy", "dự báo", "năng suất lúa", "Đồng Tháp"],
        "abstract": "Luận văn áp dụng các mô hình học máy trên dữ liệu khí tượng và viễn thám "
                    "để dự báo năng suất lúa theo vụ tại tỉnh Đồng Tháp.",
        "body": [
            "Chương 1. Dữ liệu. Dữ liệu gồm lượng mưa, nhiệt độ, độ ẩm và chỉ số thực vật từ "
            "ảnh vệ tinh trong mười vụ lúa liên tiếp.",
            "Chương 2. Mô hình. So sánh hồi quy tuyến tính, rừng ngẫu nhiên và mạng nơ-ron; "
            "rừng ngẫu nhiên cho sai số thấp nhất.",
        ],
    },
    {
        "faculty": "nn", "type": "bachelor_thesis", "year": 2022,
        "holding_id": "LV-2022-NN2", "access": "open",
        "title": "Kỹ thuật nuôi cá tra thâm canh và xử lý môi trường ao nuôi",
        "alt_title": "Intensive pangasius farming and pond environment treatment",
        "creators": ["Đinh Công Lý"], "advisors": ["ThS. Mai Thị Hoá"],
        "degree_name": "Kỹ sư Nuôi trồng thủy sản", "discipline": "Nuôi trồng thủy sản",
        "keywords": ["cá tra", "thủy sản", "môi trường"],
        "abstract": "Khóa luận tổng hợp quy trình nuôi cá tra thâm canh và các biện pháp xử lý "
                    "nước thải ao nuôi nhằm giảm ô nhiễm môi trường.",
        "body": [
            "Chương 1. Đặc điểm sinh học của cá tra. Cá tra là loài cá da trơn, sống ở vùng "
            "nước ngọt, chịu được môi trường thiếu ô xy.",
            "Chương 2. Xử lý môi trường ao nuôi bằng chế phẩm sinh học và hệ thống lắng lọc "
            "giúp giảm hàm lượng chất hữu cơ trong nước thải.",
        ],
    },
]

# The holdings register: the demo works above (by title) and print-only theses not yet
# digitized, so the coverage report has a gap to show. (holding_id, title, creators, year,
# type, faculty code, format, category)
_TOPICS = [
    ("Phát triển du lịch cộng đồng tại Cù Lao Dung", "kt"),
    ("Ảnh hưởng của xâm nhập mặn đến sản xuất lúa ở Bến Tre", "nn"),
    ("Thiết kế hệ thống quản lý thư viện bằng mã nguồn mở", "cntt"),
    ("Chăm sóc bệnh nhân đái tháo đường type 2 tại cộng đồng", "yd"),
    ("Phương pháp dạy đọc hiểu cho học sinh tiểu học", "sp"),
    ("Tín dụng vi mô và giảm nghèo ở nông thôn", "kt"),
    ("Mô hình canh tác lúa – tôm ở Cà Mau", "nn"),
    ("Bảo mật mạng không dây trong doanh nghiệp vừa và nhỏ", "cntt"),
    ("Sử dụng kháng sinh hợp lý tại bệnh viện tuyến huyện", "yd"),
    ("Giáo dục kỹ năng sống cho học sinh trung học cơ sở", "sp"),
]
HOLDINGS = [
    (f"LV-{2010 + i}-{i:03d}", title, "Sinh viên khóa " + str(2006 + i), 2010 + i,
     "master_thesis" if i % 2 else "bachelor_thesis", faculty, "print", "endogenous")
    for i, (title, faculty) in enumerate(_TOPICS)
] + [
    ("HN-001", "Hồng Đức quốc âm thi tập (bản chép tay)", "Khuyết danh", 1900,
     "research_report", "sp", "print", "rare"),
    ("HN-002", "Địa chí tỉnh An Giang (bản in khắc gỗ)", "Khuyết danh", 1910,
     "research_report", "nn", "print", "rare"),
]
