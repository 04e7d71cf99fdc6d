namespace Matrix.MediaJanitor;

public static class Program
{
    public static void Main(string[] args)
    {
    }
}
